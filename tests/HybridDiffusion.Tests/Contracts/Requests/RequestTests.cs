using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Tests.Contracts.Requests;

/// <summary>The requests both faces fill in: the one rule for seeds and count, and the defaults they take from it.</summary>
public sealed class RequestTests
{
    [Theory]
    [InlineData(null, new long[0], new long[] { 0 })]
    [InlineData(null, new long[] { 5, 6 }, new long[] { 5, 6 })]
    [InlineData(null, new long[] { 6, 5, 6 }, new long[] { 6, 5, 6 })]
    [InlineData(3, new long[0], new long[] { 0, 1, 2 })]
    [InlineData(3, new long[] { 10 }, new long[] { 10, 11, 12 })]
    [InlineData(2, new long[] { 5, 9 }, new long[] { 5, 9 })]
    public void SeedsAreTheSeedsGivenOrACountFromOne(int? count, long[] seeds, long[] made)
    {
        var request = new GenerationRequest { Prompts = new[] { "a square" }, Seeds = seeds, Count = count };
        request.Validate();
        Assert.Equal(made, request.ImageSeeds);
        Assert.Equal(made.Length, request.ImageCount);
    }

    [Fact]
    public void ACountThatDisagreesWithSeveralSeedsSaysBothWaysOut()
    {
        var request = new GenerationRequest { Prompts = new[] { "a square" }, Seeds = new long[] { 5, 6 }, Count = 1 };
        var error = Assert.Throws<HybridDiffusionException>(request.Validate);
        Assert.Equal(SettingId.Count, error.Setting);
        Assert.Equal(HybridErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("The count (1) and the 2 seeds given (5, 6) disagree", error.Message);
        Assert.Contains("Give one seed", error.Message);
        Assert.Contains("leave the count out", error.Message);
    }

    [Fact]
    public void ARangeThatRunsPastTheLargestSeedIsRefused()
    {
        var request = new GenerationRequest { Prompts = new[] { "a square" }, Seeds = new[] { long.MaxValue }, Count = 2 };
        Assert.Equal(SettingId.Count, Assert.Throws<HybridDiffusionException>(request.Validate).Setting);
    }

    public static TheoryData<string, GenerationMode[], GenerationSettings, int, SettingId> UnusedSettings => new()
    {
        { "guidance without the distilled model", new[] { GenerationMode.Base }, new GenerationSettings { Guidance = 5 }, 0, SettingId.Guidance },
        { "base guidance without the base model", new[] { GenerationMode.Distilled, GenerationMode.SkipFirst }, new GenerationSettings { BaseGuidance = 5 }, 0, SettingId.BaseGuidance },
        { "a preset without the distilled model", new[] { GenerationMode.Base }, new GenerationSettings { Preset = DistilledPreset.Dmd2 }, 0, SettingId.Preset },
        { "a plan without mode Plan", new[] { GenerationMode.Hybrid }, new GenerationSettings { Plan = "base:999;distilled:499" }, 0, SettingId.Plan },
        { "more threads than any machine", new[] { GenerationMode.Hybrid }, new GenerationSettings(), GenerationRequest.MaxThreadCount + 1, SettingId.ThreadCount },
    };

    [Theory]
    [MemberData(nameof(UnusedSettings))]
    public void ASettingNoChosenModeUsesIsRefusedNotIgnored(string what, GenerationMode[] modes, GenerationSettings settings, int threads, SettingId blamed)
    {
        var request = new GenerationRequest { Prompts = new[] { "a square" }, Modes = modes, Settings = settings, ThreadCount = threads };
        var error = Assert.Throws<HybridDiffusionException>(request.Validate);
        Assert.True(error.Setting == blamed, $"{what}: {error.Setting}: {error.Message}");
        // With a mode that uses it, the same setting is taken.
        (request with { Modes = new[] { GenerationMode.Hybrid, GenerationMode.Plan }, ThreadCount = 0, Settings = settings with { Plan = "base:999;distilled:499" } }).Validate();
    }

    [Theory]
    [InlineData(SettingId.Mode)]
    [InlineData(SettingId.Plan)]
    [InlineData(SettingId.BaseSteps)]
    public void SliderTransferRefusesTheModesItChoosesItself(SettingId given)
    {
        var generation = new GenerationRequest { Prompts = new[] { "a square" } };
        generation = given switch
        {
            SettingId.Mode => generation with { Modes = new[] { GenerationMode.Hybrid, GenerationMode.Reverse } },
            SettingId.Plan => generation with { Settings = new GenerationSettings { Plan = "base:999;distilled:499" } },
            _ => generation with { Settings = new GenerationSettings { BaseSteps = 2 } },
        };
        var request = new SliderTransferRequest { Generation = generation, SliderPath = "warmth.safetensors" };
        Assert.Equal(given, Assert.Throws<HybridDiffusionException>(request.Validate).Setting);
        (request with { Generation = new GenerationRequest { Prompts = new[] { "a square" } } }).Validate();
    }

    [Theory]
    [InlineData(null, new long[0], new long[] { 0, 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData(null, new long[] { 5 }, new long[] { 5 })]
    [InlineData(2, new long[0], new long[] { 0, 1 })]
    [InlineData(2, new long[] { 3 }, new long[] { 3, 4 })]
    public void SliderTransferMeasuresEightSeedsUnlessSeedsOrACountAreGiven(int? count, long[] seeds, long[] measured)
    {
        var request = new SliderTransferRequest
        {
            Generation = new GenerationRequest { Prompts = new[] { "a square" }, Seeds = seeds, Count = count, OutputDirectory = "out" },
            SliderPath = "warmth.safetensors",
        };
        var generation = request.MeasuredGeneration;
        Assert.Equal(measured, generation.ImageSeeds);
        Assert.Equal(new[] { GenerationMode.Base, GenerationMode.Distilled }, generation.Modes);
        Assert.Null(generation.OutputDirectory);
    }
}
