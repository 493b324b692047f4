using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>The sampling settings of a generation, shared by every prompt, seed and mode of a request.</summary>
public sealed record GenerationSettings
{
    /// <summary>The largest width or height: 4 × SDXL's 1024, and a latent of 64 MB per image.</summary>
    public const int MaxSide = 16384;

    /// <summary>The steps Base mode, and every other mode, takes when none are given (<see cref="DefaultSteps"/>).</summary>
    public const int DefaultBaseModeSteps = 50, DefaultDistilledSteps = 4;

    /// <summary>Denoising steps; null takes the mode's default (<see cref="DefaultSteps"/>).</summary>
    public int? Steps { get; init; }

    /// <summary>How many leading steps the other model runs in Hybrid and Reverse modes (the paper's k; 1 is best).</summary>
    public int BaseSteps { get; init; } = 1;

    /// <summary>
    /// Hybrid mode chooses its base steps per prompt from a probe of the model pair (--base-steps auto) instead of
    /// <see cref="BaseSteps"/>, which then stays at its default.
    /// </summary>
    public bool AutoBaseSteps { get; init; }

    /// <summary>Classifier-free guidance of the distilled segments; values ≤ 1 run one conditional pass.</summary>
    public float Guidance { get; init; }

    /// <summary>Classifier-free guidance of the base segments (the paper's hybrid uses 0).</summary>
    public float BaseGuidance { get; init; }

    /// <summary>
    /// The unconditional prompt for guidance above 1. Null (none given) is encoded as "" by SD 1.5/2.x models and
    /// becomes zero conditioning for SDXL models (diffusers' force_zeros_for_empty_prompt); an explicit "" is encoded.
    /// </summary>
    public string? NegativePrompt { get; init; }

    /// <summary>An explicit plan for <see cref="GenerationMode.Plan"/>.</summary>
    public string? Plan { get; init; }

    /// <summary>Replaces every model's scheduler class (a <see cref="Scheduling.SchedulerKinds"/> name), keeping its noise schedule.</summary>
    public string? Scheduler { get; init; }

    /// <summary>A distilled family's recommended scheduler settings for the distilled model.</summary>
    public DistilledPreset? Preset { get; init; }

    /// <summary>Condition annealing (CADS) on every segment (a plan segment may carry its own); null: none.</summary>
    public ConditionAnnealing? Annealing { get; init; }

    /// <summary>Noise on the prompt embedding for the first steps, on every segment (a plan segment may carry its own); null: none.</summary>
    public ConditioningNoise? ConditioningNoise { get; init; }

    /// <summary>Guidance only within this σ interval, on every guided segment (a plan segment may carry its own); null: always.</summary>
    public GuidanceInterval? GuidanceInterval { get; init; }

    public int Width { get; init; } = 128;

    public int Height { get; init; } = 128;

    /// <summary>
    /// What is wrong with an image side of <paramref name="value"/> pixels, said after the side's name ("must be ..."),
    /// or null: a positive multiple of 8 up to <see cref="MaxSide"/>. Public for a face whose one option sets both sides.
    /// </summary>
    public static string? SideProblem(int value) =>
        value < 8 || value % 8 != 0 ? $"must be a positive multiple of 8 (the VAE works on 8×8 pixel blocks); got {value}. Try {Math.Max(8, (value + 4) / 8 * 8)}."
        : value > MaxSide ? $"must be at most {MaxSide} pixels; got {value}."
        : null;

    /// <summary>The steps a mode takes when the user gives none.</summary>
    public static int DefaultSteps(GenerationMode mode) => mode == GenerationMode.Base ? DefaultBaseModeSteps : DefaultDistilledSteps;

    /// <summary>The checks that need no model: sizes, steps and guidance (plan syntax and scheduler names are the engine's).</summary>
    public void Validate()
    {
        if (NegativePrompt is not null)
        {
            PromptText.Check(NegativePrompt, SettingId.Prompt, "The negative prompt");
        }
        foreach (var (setting, value) in new[] { (SettingId.Width, Width), (SettingId.Height, Height) })
        {
            if (SideProblem(value) is string problem)
            {
                throw HybridDiffusionException.Argument(setting, $"{setting} {problem}");
            }
        }
        if (Steps is < 1)
        {
            throw HybridDiffusionException.Argument(SettingId.Steps, $"Steps must be at least 1; got {Steps}.");
        }
        foreach (var (setting, words, value) in new[] { (SettingId.Guidance, "guidance", Guidance), (SettingId.BaseGuidance, "base guidance", BaseGuidance) })
        {
            if (!float.IsFinite(value) || value < 0)
            {
                throw HybridDiffusionException.Argument(setting, $"The {words} must be a finite number ≥ 0; got {value}.");
            }
        }
        foreach (var problem in new[] { Annealing?.FindProblem(), ConditioningNoise?.FindProblem(), GuidanceInterval?.FindProblem() })
        {
            if (problem is ({} setting, {} text))
            {
                throw HybridDiffusionException.Argument(setting, text);
            }
        }
        if (Annealing is not null && ConditioningNoise is not null)
        {
            throw HybridDiffusionException.Argument(SettingId.Cads,
                "Condition annealing (CADS) and conditioning noise both noise the prompt embedding; choose one of them.");
        }
    }

    /// <summary>
    /// Hybrid and Reverse need both models: 1 ≤ BaseSteps &lt; Steps. Public because the core's plan builder and a
    /// study file's settings apply the same rule to step counts they resolve themselves.
    /// </summary>
    public static void CheckBaseSteps(int baseSteps, int steps)
    {
        if (baseSteps < 1 || baseSteps >= steps)
        {
            throw HybridDiffusionException.Argument(SettingId.BaseSteps,
                $"The base-model step count must be at least 1 and less than the step count ({steps}) so both models run; got {baseSteps}.");
        }
    }

    /// <summary>The error for mode Plan without a plan, shared by the request's checks, the core's plan builder and study files.</summary>
    public static HybridDiffusionException MissingPlan() =>
        HybridDiffusionException.Argument(SettingId.Plan, "Mode Plan needs a plan, for example 'base:999;distilled:749,499,249'.");
}
