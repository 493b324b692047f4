using System.Globalization;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Contracts.Sliders;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// What New-HybridImage and `hybrid new-image` ask for, and the generation inside a trajectory or slider-transfer
/// request: prompts × modes × seeds, with their settings, models and resources. Both faces fill in this one record and
/// take their defaults from it; <see cref="Validate"/> makes every check that needs no model, and the engine adds those
/// that do (plan syntax, scheduler names, slider files, the initial latents' shape).
/// </summary>
public sealed record GenerationRequest
{
    /// <summary>The seed of a request that gives neither seeds nor a count.</summary>
    public const long DefaultSeed = 0;

    /// <summary>A request with every default: where the faces read theirs.</summary>
    public static GenerationRequest Defaults { get; } = new();

    public IReadOnlyList<string> Prompts { get; init; } = Array.Empty<string>();

    /// <summary>The seeds given (none: <see cref="DefaultSeed"/>); how they combine with <see cref="Count"/> is <see cref="ImageSeeds"/>.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = Array.Empty<long>();

    /// <summary>Images per prompt and mode; null makes one per seed given.</summary>
    public int? Count { get; init; }

    public IReadOnlyList<GenerationMode> Modes { get; init; } = new[] { GenerationMode.Hybrid };

    public GenerationSettings Settings { get; init; } = new();

    /// <summary>Base model folder; with neither model named, the engine runs its default pair (the demo pair in both faces).</summary>
    public string? BaseModel { get; init; }

    /// <summary>Distilled model folder, or a UNet-only folder sharing the base's text encoder and VAE.</summary>
    public string? DistilledModel { get; init; }

    /// <summary>Where PNG files go; null keeps images in memory only.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The execution provider the sessions ask for.</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Auto;

    /// <summary>ONNX Runtime's intra-op threads on the CPU; 0 lets it choose (one per core).</summary>
    public int ThreadCount { get; init; }

    /// <summary>Slider/LoRA files merged into the UNets they target.</summary>
    public IReadOnlyList<SliderSpec> Sliders { get; init; } = Array.Empty<SliderSpec>();

    /// <summary>Fail when a slider key matches no UNet weight (otherwise such keys are skipped with a warning).</summary>
    public bool StrictSliders { get; init; }

    /// <summary>Return each image's x̂0 trajectory, decoding every Nth step (and the last); null returns none.</summary>
    public int? TrajectoryEvery { get; init; }

    /// <summary>Which generator the seeds drive (the fast default, or PyTorch-compatible for diffusers' images).</summary>
    public NoiseKind NoiseSource { get; init; } = NoiseKind.Fast;

    /// <summary>
    /// A .npy file of standard normal latents [1, C, height/8, width/8] every image starts from (scaled by the
    /// scheduler's initial σ, as diffusers' latents= argument); seeds then drive only the noise later steps add. Null
    /// starts from seeded noise.
    /// </summary>
    public string? InitialLatents { get; init; }

    /// <summary>Images per UNet run; null chooses from the UNet's size and provider.</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// Seconds one image may take (a batch of N images: N times as long) before the run is stopped with an error; it
    /// ends a model that never finishes (a Loop without end). Null: no limit.
    /// </summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>The longest <see cref="TimeoutSeconds"/>: a week.</summary>
    public const double MaxTimeoutSeconds = 7 * 24 * 3600;

    /// <summary>ONNX Runtime's intra-op threads at the most: far beyond any machine's cores, and each thread reserves memory.</summary>
    public const int MaxThreadCount = 1024;

    /// <summary>Images per UNet run at the most: a batch's latents and activations are held at once.</summary>
    public const int MaxBatchSize = 256;

    /// <summary>Whether the base and distilled UNets stay loaded together.</summary>
    public MemoryMode MemoryMode { get; init; } = MemoryMode.Auto;

    /// <summary>
    /// The seeds every prompt and mode runs, by one rule for both faces: without a count, exactly the seeds given
    /// (<see cref="DefaultSeed"/> when none); a count with one seed (or none) makes that many consecutive seeds from it;
    /// a count with several seeds must equal their number.
    /// </summary>
    public IReadOnlyList<long> ImageSeeds => (Count, Seeds.Count) switch
    {
        (null, 0) => new[] { DefaultSeed },
        (null, _) => Seeds,
        (int count, 0) => new SeedRange(DefaultSeed, count),
        (int count, 1) => new SeedRange(Seeds[0], count),
        (int count, int given) when count == given => Seeds,
        (int count, int given) => throw HybridDiffusionException.Argument(SettingId.Count,
            $"The count ({count}) and the {given} seeds given ({SeedText()}) disagree. Give one seed, and the count makes " +
            "that many consecutive seeds from it; or leave the count out to use exactly the seeds given."),
    };

    /// <summary>How many images the request makes: prompts × modes × seeds (valid once <see cref="Validate"/> has passed).</summary>
    public int ImageCount => (int)LongImageCount;

    private long LongImageCount => (long)Prompts.Count * Modes.Count * ImageSeeds.Count;

    /// <summary>Checks every argument that needs no model, so bad input fails fast and specifically.</summary>
    public void Validate()
    {
        if (Prompts.Count == 0)
        {
            throw HybridDiffusionException.Argument(SettingId.Prompt, "At least one prompt is needed.");
        }
        if (Prompts.Any(p => p is null))
        {
            throw HybridDiffusionException.Argument(SettingId.Prompt, "A prompt is null; pass text (an empty string is allowed).");
        }
        for (int i = 0; i < Prompts.Count; i++)
        {
            PromptText.Check(Prompts[i], SettingId.Prompt, Prompts.Count == 1 ? "The prompt" : $"Prompt {i + 1}");
        }
        if (Modes.Count == 0)
        {
            throw HybridDiffusionException.Argument(SettingId.Mode, "At least one mode is needed.");
        }
        if (LongImageCount > int.MaxValue)
        {
            throw HybridDiffusionException.Argument(SettingId.Count,
                $"This request makes {LongImageCount} images ({Prompts.Count} prompts × {Modes.Count} modes × {ImageSeeds.Count} seeds); one run makes at most {int.MaxValue}. Split it into several runs.");
        }
        Settings.Validate();
        if (BatchSize is < 1 or > MaxBatchSize)
        {
            throw HybridDiffusionException.Argument(SettingId.BatchSize,
                $"The batch size is the images per UNet run, 1 to {MaxBatchSize}; got {BatchSize}. Omit it to choose automatically.");
        }
        if (TimeoutSeconds is double timeout && !(timeout > 0 && timeout <= MaxTimeoutSeconds))
        {
            throw HybridDiffusionException.Argument(SettingId.Timeout, FormattableString.Invariant(
                $"The timeout is the seconds one image may take, above 0 and at most {MaxTimeoutSeconds:F0} (a week); got {timeout}. Omit it for no limit."));
        }
        if (ThreadCount is < 0 or > MaxThreadCount)
        {
            throw HybridDiffusionException.Argument(SettingId.ThreadCount, $"The thread count must be 0 (one per core) to {MaxThreadCount}; got {ThreadCount}.");
        }
        if (!Enum.IsDefined(MemoryMode))
        {
            throw HybridDiffusionException.Argument(SettingId.MemoryMode, $"The memory mode must be auto, concurrent or sequential; got {(int)MemoryMode}.");
        }
        if (!Enum.IsDefined(NoiseSource))
        {
            throw HybridDiffusionException.Argument(SettingId.NoiseSource, $"NoiseSource must be Fast or Torch; got {(int)NoiseSource}.");
        }
        if (TrajectoryEvery is < 1)
        {
            throw HybridDiffusionException.Argument(SettingId.Every, $"The trajectory interval must be at least 1 (decode every Nth step); got {TrajectoryEvery}.");
        }
        CheckModeSettings(Modes, Settings);
        if (Modes.Contains(GenerationMode.SkipFirst) && Settings.Steps is 1)
        {
            throw HybridDiffusionException.Argument(SettingId.Steps, "Skip-first mode drops the first timestep, so it needs at least 2 steps.");
        }
    }

    /// <summary>
    /// The settings that depend on the modes: Plan needs a plan; a setting that no chosen mode uses (a plan without mode
    /// Plan, base steps or guidance of a model no mode runs, a distilled preset without the distilled model) is refused
    /// rather than silently ignored. Public because a study checks each of its settings with them before anything runs.
    /// </summary>
    public static void CheckModeSettings(IReadOnlyCollection<GenerationMode> modes, GenerationSettings settings)
    {
        if (modes.Contains(GenerationMode.Plan) && settings.Plan is null)
        {
            throw GenerationSettings.MissingPlan();
        }
        var modeList = string.Join(", ", modes);
        if (settings.Plan is not null && !modes.Contains(GenerationMode.Plan))
        {
            throw HybridDiffusionException.Argument(SettingId.Plan,
                $"A plan applies only to mode Plan, and the modes are {modeList}: add mode Plan, or leave the plan out.");
        }
        CheckBaseSteps(modes, settings);
        // A plan may hold segments of either model; every other mode's models are known.
        bool distilledRuns = modes.Any(m => m != GenerationMode.Base);
        bool baseRuns = modes.Any(m => m is not (GenerationMode.Distilled or GenerationMode.SkipFirst));
        if (!distilledRuns && settings.Guidance != Defaults.Settings.Guidance)
        {
            throw HybridDiffusionException.Argument(SettingId.Guidance,
                $"Guidance applies to the distilled model's steps, and the modes are {modeList}: use base guidance for the base model, or leave guidance out.");
        }
        if (!baseRuns && settings.BaseGuidance != Defaults.Settings.BaseGuidance)
        {
            throw HybridDiffusionException.Argument(SettingId.BaseGuidance,
                $"Base guidance applies to the base model's steps, and the modes are {modeList}: use guidance for the distilled model, or leave base guidance out.");
        }
        if (!distilledRuns && settings.Preset is not null)
        {
            throw HybridDiffusionException.Argument(SettingId.Preset,
                $"A distilled preset sets the distilled model's scheduler, and the modes are {modeList}: add a mode that runs the distilled model, or leave the preset out.");
        }
    }

    // A number for Hybrid and Reverse (1 ≤ k < steps), "auto" for Hybrid alone, neither for other modes.
    private static void CheckBaseSteps(IReadOnlyCollection<GenerationMode> modes, GenerationSettings settings)
    {
        if (settings.AutoBaseSteps)
        {
            CheckAutoBaseSteps(modes, settings);
        }
        else if (modes.Any(m => m is GenerationMode.Hybrid or GenerationMode.Reverse))
        {
            GenerationSettings.CheckBaseSteps(settings.BaseSteps, settings.Steps ?? GenerationSettings.DefaultDistilledSteps);
        }
        else if (settings.BaseSteps != Defaults.Settings.BaseSteps)
        {
            throw HybridDiffusionException.Argument(SettingId.BaseSteps,
                $"The base-model step count applies only to modes Hybrid and Reverse, and the modes are {string.Join(", ", modes)}: " +
                "add one of them, or leave the base-model step count out.");
        }
    }

    // Auto chooses where the hybrid hands over from the base model to the distilled one, so it needs mode Hybrid and no
    // other mode with a base-step count of its own.
    private static void CheckAutoBaseSteps(IReadOnlyCollection<GenerationMode> modes, GenerationSettings settings)
    {
        if (!modes.Contains(GenerationMode.Hybrid) || modes.Contains(GenerationMode.Reverse))
        {
            throw HybridDiffusionException.Argument(SettingId.BaseSteps,
                $"Automatic base steps choose where mode Hybrid hands over to the distilled model, and the modes are {string.Join(", ", modes)}: " +
                "add mode Hybrid (without Reverse, which needs a number), or give a number of base steps.");
        }
        if (settings.BaseSteps != Defaults.Settings.BaseSteps)
        {
            throw HybridDiffusionException.Argument(SettingId.BaseSteps, "Give either automatic base steps or a number of base steps, not both.");
        }
        if ((settings.Steps ?? GenerationSettings.DefaultDistilledSteps) < 2)
        {
            throw HybridDiffusionException.Argument(SettingId.BaseSteps,
                $"Automatic base steps need at least 2 steps, so both models run; the step count is {settings.Steps}.");
        }
    }

    private string SeedText() => Seeds.Count <= 6
        ? string.Join(", ", Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))
        : string.Join(", ", Seeds.Take(5).Select(s => s.ToString(CultureInfo.InvariantCulture))) + ", ...";
}
