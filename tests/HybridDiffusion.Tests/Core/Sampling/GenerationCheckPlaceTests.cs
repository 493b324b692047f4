using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Engine;

namespace HybridDiffusion.Tests.Core.Sampling;

/// <summary>
/// Step-count rules are checked once, where the request is validated, so they are refused before any model folder is
/// looked at; the plan builder trusts them.
/// </summary>
public sealed class GenerationCheckPlaceTests
{
    public static TheoryData<GenerationMode, int?, int, SettingId, string> BadStepCounts => new()
    {
        { GenerationMode.SkipFirst, 1, 1, SettingId.Steps, "Skip-first mode drops the first timestep, so it needs at least 2 steps." },
        { GenerationMode.Hybrid, 4, 4, SettingId.BaseSteps, "The base-model step count must be at least 1 and less than the step count (4) so both models run; got 4." },
        { GenerationMode.Reverse, null, 0, SettingId.BaseSteps, "The base-model step count must be at least 1 and less than the step count (4) so both models run; got 0." },
        { GenerationMode.Hybrid, 0, 1, SettingId.Steps, "Steps must be at least 1; got 0." },
    };

    [Theory]
    [MemberData(nameof(BadStepCounts))]
    public void ABadStepCountIsRefusedByTheRequestBeforeAnyModelFolder(GenerationMode mode, int? steps, int baseSteps, SettingId setting, string message)
    {
        var request = new GenerationRequest
        {
            Prompts = new[] { "a red box" },
            Modes = new[] { mode },
            Settings = new GenerationSettings { Steps = steps, BaseSteps = baseSteps },
            BaseModel = Path.Combine(Path.GetTempPath(), "no-such-base-model-" + Guid.NewGuid()),
            DistilledModel = Path.Combine(Path.GetTempPath(), "no-such-distilled-model-" + Guid.NewGuid()),
            OutputDirectory = null,
        };

        var byRequest = Assert.Throws<HybridDiffusionException>(request.Validate);
        using var engine = new HybridEngine();
        var byEngine = Assert.Throws<HybridDiffusionException>(() => engine.Generate(request));

        foreach (var error in new[] { byRequest, byEngine })
        {
            Assert.Equal(HybridErrorKind.InvalidArgument, error.Kind);
            Assert.Equal(setting, error.Setting);
            Assert.Equal(message, error.Message);
        }
    }

    [Theory]
    [InlineData(GenerationMode.SkipFirst, 2, 1)]
    [InlineData(GenerationMode.Hybrid, 2, 1)]
    [InlineData(GenerationMode.Reverse, 8, 7)]
    public void TheSmallestValidStepCountsPassTheRequestChecks(GenerationMode mode, int steps, int baseSteps)
    {
        var request = new GenerationRequest
        {
            Prompts = new[] { "a red box" },
            Modes = new[] { mode },
            Settings = new GenerationSettings { Steps = steps, BaseSteps = baseSteps },
        };
        request.Validate();
    }
}
