using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Scheduling;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Core.Sampling;

/// <summary>Everything one call of <see cref="Engine.HybridEngine.Generate"/> needs: prompts × modes × seeds.</summary>
public sealed record GenerationRequest
{
    public IReadOnlyList<string> Prompts { get; init; } = Array.Empty<string>();

    public IReadOnlyList<long> Seeds { get; init; } = new long[] { 0 };

    public IReadOnlyList<GenerationMode> Modes { get; init; } = new[] { GenerationMode.Hybrid };

    public GenerationSettings Settings { get; init; } = new();

    /// <summary>Base model folder (the faces fill in the demo pair when neither model is named).</summary>
    public string? BaseModel { get; init; }

    /// <summary>Distilled model folder, or a UNet-only folder sharing the base's text encoder and VAE.</summary>
    public string? DistilledModel { get; init; }

    /// <summary>Where PNG files go; null keeps images in memory only.</summary>
    public string? OutputDirectory { get; init; }

    public SessionSettings Session { get; init; } = SessionSettings.Default;

    /// <summary>Slider/LoRA files merged into the UNets they target.</summary>
    public IReadOnlyList<SliderSpec> Sliders { get; init; } = Array.Empty<SliderSpec>();

    /// <summary>Fail when a slider key matches no UNet weight (otherwise such keys are skipped with a warning).</summary>
    public bool StrictSliders { get; init; }

    /// <summary>Return each image's x̂0 trajectory, decoding every Nth step (and the last); null returns none.</summary>
    public int? TrajectoryEvery { get; init; }

    /// <summary>Which generator the seeds drive (the fast default, or PyTorch-compatible for diffusers' images).</summary>
    public NoiseKind NoiseSource { get; init; } = NoiseKind.Fast;

    /// <summary>
    /// Standard normal latents [1, C, height/8, width/8] every image starts from (scaled by the scheduler's initial σ,
    /// as diffusers' latents= argument); seeds then drive only the noise later steps add. Null starts from seeded noise.
    /// </summary>
    public NpyArray? InitialLatents { get; init; }

    /// <summary>Images per UNet run; null chooses from the UNet's size and provider (see <see cref="ResourcePlanner.AutoBatchSize"/>).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Whether the base and distilled UNets stay loaded together.</summary>
    public MemoryMode MemoryMode { get; init; } = MemoryMode.Auto;

    /// <summary>The largest width or height: 4 × SDXL's 1024, and a latent of 64 MB per image.</summary>
    public const int MaxSide = 16384;

    /// <summary>How many images the request makes: prompts × modes × seeds (valid once <see cref="Validate"/> has passed).</summary>
    public int ImageCount => (int)LongImageCount;

    private long LongImageCount => (long)Prompts.Count * Modes.Count * Seeds.Count;

    /// <summary>Checks every argument before any model is loaded, so bad input fails fast and specifically.</summary>
    public void Validate()
    {
        if (Prompts.Count == 0)
        {
            throw HybridDiffusionException.Argument("Prompt", "At least one prompt is needed.");
        }
        if (Prompts.Any(p => p is null))
        {
            throw HybridDiffusionException.Argument("Prompt", "A prompt is null; pass text (an empty string is allowed).");
        }
        if (Seeds.Count == 0)
        {
            throw HybridDiffusionException.Argument("Seed", "At least one seed is needed.");
        }
        if (Modes.Count == 0)
        {
            throw HybridDiffusionException.Argument("Mode", "At least one mode is needed.");
        }
        if (LongImageCount > int.MaxValue)
        {
            throw HybridDiffusionException.Argument("Count",
                $"This request makes {LongImageCount} images ({Prompts.Count} prompts × {Modes.Count} modes × {Seeds.Count} seeds); one run makes at most {int.MaxValue}. Split it into several runs.");
        }
        var s = Settings;
        foreach (var (name, value) in new[] { ("Width", s.Width), ("Height", s.Height) })
        {
            if (value < 8 || value % 8 != 0)
            {
                throw HybridDiffusionException.Argument(name,
                    $"{name} must be a positive multiple of 8 (the VAE works on 8×8 pixel blocks); got {value}. Try {Math.Max(8, (value + 4) / 8 * 8)}.");
            }
            if (value > MaxSide)
            {
                throw HybridDiffusionException.Argument(name, $"{name} must be at most {MaxSide} pixels; got {value}.");
            }
        }
        if (s.Steps is < 1)
        {
            throw HybridDiffusionException.Argument("Steps", $"Steps must be at least 1; got {s.Steps}.");
        }
        foreach (var (name, words, value) in new[] { ("Guidance", "guidance", s.Guidance), ("BaseGuidance", "base guidance", s.BaseGuidance) })
        {
            if (!float.IsFinite(value) || value < 0)
            {
                throw HybridDiffusionException.Argument(name, $"The {words} must be a finite number ≥ 0; got {value}.");
            }
        }
        if (s.Scheduler is string scheduler && !SchedulerFactory.ShortNames.ContainsKey(scheduler))
        {
            throw HybridDiffusionException.Argument("Scheduler",
                $"Scheduler '{scheduler}' is not known; use {string.Join(", ", SchedulerFactory.ShortNames.Keys)}.");
        }
        SliderCatalog.Validate(Sliders);
        if (BatchSize is < 1)
        {
            throw HybridDiffusionException.Argument("BatchSize", $"The batch size must be at least 1 (images per UNet run); got {BatchSize}. Omit it to choose automatically.");
        }
        if (!Enum.IsDefined(MemoryMode))
        {
            throw HybridDiffusionException.Argument("MemoryMode", $"The memory mode must be auto, concurrent or sequential; got {(int)MemoryMode}.");
        }
        if (!Enum.IsDefined(NoiseSource))
        {
            throw HybridDiffusionException.Argument("NoiseSource", $"NoiseSource must be Fast or Torch; got {(int)NoiseSource}.");
        }
        if (InitialLatents is { } latents && (latents.Shape.Count is not (3 or 4) || latents.Shape[^2] != s.Height / 8 || latents.Shape[^1] != s.Width / 8))
        {
            throw HybridDiffusionException.Argument("InitialLatents",
                $"The initial latents {(latents.Source is null ? "" : $"'{latents.Source}' ")}have shape {latents.ShapeText}; a {s.Width}x{s.Height} " +
                $"image needs [1, channels, {s.Height / 8}, {s.Width / 8}] (height/8, width/8). Set the width and height to 8 times the file's last two sizes.");
        }
        if (TrajectoryEvery is < 1)
        {
            throw HybridDiffusionException.Argument("Every", $"The trajectory interval must be at least 1 (decode every Nth step); got {TrajectoryEvery}.");
        }
        if (Modes.Contains(GenerationMode.Plan) && s.Plan is null)
        {
            throw PlanBuilder.MissingPlan();
        }
        if (s.Plan is not null)
        {
            PlanParser.Parse(s.Plan);
        }
        if (Modes.Any(m => m is GenerationMode.Hybrid or GenerationMode.Reverse))
        {
            PlanBuilder.CheckBaseSteps(s.BaseSteps, s.Steps ?? PlanBuilder.DefaultDistilledSteps);
        }
    }
}
