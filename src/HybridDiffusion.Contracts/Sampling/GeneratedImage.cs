using System.Globalization;
using HybridDiffusion.Contracts.Imaging;

namespace HybridDiffusion.Contracts.Sampling;

/// <summary>One generated picture and how it was made; the PNG file (when written) carries the same settings.</summary>
public sealed record GeneratedImage
{
    public required RgbImage Image { get; init; }
    public required string Prompt { get; init; }
    public required string NegativePrompt { get; init; }
    public required long Seed { get; init; }
    public required GenerationMode Mode { get; init; }
    public required string Plan { get; init; }
    public required string Scheduler { get; init; }
    public required int Steps { get; init; }
    public required float Guidance { get; init; }
    public required float BaseGuidance { get; init; }
    public required string BaseModel { get; init; }
    public required string DistilledModel { get; init; }
    public required string Provider { get; init; }

    /// <summary>The generator its seed drove: "Fast" (the engine's own) or "Torch" (PyTorch's CPU generator).</summary>
    public string NoiseSource { get; init; } = "Fast";

    /// <summary>The .npy file the run started from instead of seeded noise; null when none.</summary>
    public string? InitialLatents { get; init; }

    /// <summary>The sliders merged into the UNets that made this image ("" when none).</summary>
    public string Sliders { get; init; } = "";

    /// <summary>How many images shared each UNet run with this one; its times below are its share of the batch's.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>UNet evaluations per image: two per guided step (unconditional and conditional), one per unguided step.</summary>
    public int ModelCalls { get; init; }

    /// <summary>The diversity methods each segment applied, with their parameters ("distilled cads(tau1=0.6,...)"); "" when none.</summary>
    public string Methods { get; init; } = "";

    /// <summary>How automatic base steps chose this hybrid image's k; null when the request gave a number.</summary>
    public TransitionChoice? Transition { get; init; }

    /// <summary>ONNX Runtime's intra-op threads on the CPU (0: its own choice, one per physical core); the last bit of a pixel can depend on it.</summary>
    public int ThreadCount { get; init; }

    /// <summary>Wall time for this image: text encoding (uncached), denoising and decoding; one-time work is in <see cref="SetupMs"/>.</summary>
    public required double ElapsedMs { get; init; }

    /// <summary>
    /// This image's share of the one-time work done while its batches ran, kept out of <see cref="ElapsedMs"/>: loading a
    /// UNet, making its bindings, a warm-up run of each newly bound segment's first step, and the decoder's warm-up runs.
    /// Only the first batches of a request pay it.
    /// </summary>
    public double SetupMs { get; init; }

    /// <summary>The part of <see cref="ElapsedMs"/> spent inside UNet session runs.</summary>
    public required double UNetMs { get; init; }

    /// <summary>The denoising loop's wall time (UNet runs plus the engine's own work between them).</summary>
    public required double DenoiseMs { get; init; }

    public int Width => Image.Width;

    public int Height => Image.Height;

    /// <summary>The PNG file written for this image, if any.</summary>
    public string? Path { get; init; }

    /// <summary>x̂0 at each kept step, when the request asked for a trajectory.</summary>
    public IReadOnlyList<TrajectoryStep>? Trajectory { get; init; }

    /// <summary>The settings stored in the PNG's text chunks.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata() => new KeyValuePair<string, string>[]
    {
        new("Sliders", Sliders),
        new("Software", "HybridDiffusion"),
        new("Prompt", Prompt),
        new("NegativePrompt", NegativePrompt),
        new("Seed", Seed.ToString(CultureInfo.InvariantCulture)),
        new("NoiseSource", NoiseSource),
        new("InitialLatents", InitialLatents ?? ""),
        new("Mode", Mode.ToString()),
        new("Plan", Plan),
        new("Methods", Methods),
        new("Transition", Transition?.ToString() ?? ""),
        new("Scheduler", Scheduler),
        new("Steps", Steps.ToString(CultureInfo.InvariantCulture)),
        new("Guidance", Guidance.ToString(CultureInfo.InvariantCulture)),
        new("BaseGuidance", BaseGuidance.ToString(CultureInfo.InvariantCulture)),
        new("BaseModel", BaseModel),
        new("DistilledModel", DistilledModel),
        new("Size", $"{Width}x{Height}"),
        new("BatchSize", BatchSize.ToString(CultureInfo.InvariantCulture)),
        new("ModelCalls", ModelCalls.ToString(CultureInfo.InvariantCulture)),
        new("ThreadCount", ThreadCount > 0 ? ThreadCount.ToString(CultureInfo.InvariantCulture) : $"auto ({Environment.ProcessorCount} logical processors)"),
    }.Where(kv => kv.Key is not ("Sliders" or "InitialLatents" or "Methods" or "Transition") || kv.Value.Length > 0).ToList();
}
