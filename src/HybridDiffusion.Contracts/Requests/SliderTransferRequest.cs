using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// What Measure-SliderTransfer and `hybrid slider-transfer` ask for: how far a slider moves base and distilled images
/// from strength 0, for the same prompts and seeds.
/// </summary>
public sealed record SliderTransferRequest
{
    /// <summary>
    /// Seeds measured when neither seeds nor a count is given: a slider's movement is a mean over images, and one image's
    /// distance (or a ratio of two near-zero ones) says little.
    /// </summary>
    public const int DefaultSeedCount = 8;

    /// <summary>Strengths compared with strength 0 when none are given: one clear step each way.</summary>
    public static IReadOnlyList<float> DefaultStrengths { get; } = new[] { -2f, 2f };

    /// <summary>Prompts, seeds, models and settings; the modes (base and distilled) and the output are the measurement's own.</summary>
    public required GenerationRequest Generation { get; init; }

    /// <summary>The slider or LoRA .safetensors file.</summary>
    public required string SliderPath { get; init; }

    public IReadOnlyList<float> Strengths { get; init; } = DefaultStrengths;

    /// <summary>The generation each strength runs: base and distilled, in memory, seeds 0 to 7 unless seeds or a count are given.</summary>
    public GenerationRequest MeasuredGeneration => Generation with
    {
        Modes = new[] { GenerationMode.Base, GenerationMode.Distilled },
        OutputDirectory = null,
        Count = Generation.Count ?? (Generation.Seeds.Count == 0 ? DefaultSeedCount : null),
    };

    /// <summary>Checks every argument that needs no model.</summary>
    public void Validate()
    {
        if (Strengths.Count == 0 || Strengths.Any(s => !float.IsFinite(s)))
        {
            throw HybridDiffusionException.Argument(SettingId.Strength, $"Give one or more finite strengths; got [{string.Join(", ", Strengths)}].");
        }
        // The measurement runs the base model against the distilled one itself: a mode, plan or base-step count given
        // for it would be silently ignored.
        const string runsItsOwnModes = "the slider transfer runs mode Base against mode Distilled itself";
        if (!Generation.Modes.SequenceEqual(GenerationRequest.Defaults.Modes))
        {
            throw HybridDiffusionException.Argument(SettingId.Mode, $"The mode is not chosen here: {runsItsOwnModes}. Leave the mode out.");
        }
        if (Generation.Settings.Plan is not null)
        {
            throw HybridDiffusionException.Argument(SettingId.Plan, $"A plan does not apply: {runsItsOwnModes}. Leave the plan out.");
        }
        if (Generation.Settings.AutoBaseSteps || Generation.Settings.BaseSteps != GenerationRequest.Defaults.Settings.BaseSteps)
        {
            throw HybridDiffusionException.Argument(SettingId.BaseSteps, $"Base steps do not apply: {runsItsOwnModes}, neither of which hands over. Leave them out.");
        }
        MeasuredGeneration.Validate();
    }
}
