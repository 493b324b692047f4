using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// One image of a request on its way through the plan: who it is (prompt, mode, seed), its latent and noise stream,
/// how many segments it has run, and its share of the time of the batches it ran in.
/// </summary>
internal sealed class ImageJob(int index, string prompt, GenerationMode mode, long seed, SamplingPlan plan, TrajectoryRecorder? recorder,
    NoiseKind noiseKind = NoiseKind.Fast, NpyArray? initialLatents = null)
{
    /// <summary>Position in the request's order (prompt, mode, seed), which is the order images are returned in.</summary>
    public int Index { get; } = index;

    public string Prompt { get; } = prompt;

    public GenerationMode Mode { get; } = mode;

    public long Seed { get; } = seed;

    public SamplingPlan Plan { get; } = plan;

    /// <summary>The plan's steps, counted once: progress reads it every step and must not allocate.</summary>
    public int StepCount { get; } = plan.StepCount;

    public TrajectoryRecorder? Recorder { get; } = recorder;

    public NoiseKind NoiseKind { get; } = noiseKind;

    /// <summary>Standard normal latents to start from instead of the seed's noise (scaled by the first step's σ).</summary>
    public NpyArray? InitialLatents { get; } = initialLatents;

    public INoiseSource Noise { get; } = NoiseSources.Create(noiseKind, seed);

    /// <summary>How automatic base steps chose the plan's k; null when the request gave a number.</summary>
    public TransitionChoice? Transition { get; init; }

    /// <summary>The PNG file the image goes to, decided before it is made; null keeps it in memory only.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The latent, allocated and filled with the initial noise when the first segment starts.</summary>
    public float[]? Latent { get; private set; }

    /// <summary>Segments run so far; the next one to run has this index.</summary>
    public int SegmentsDone { get; private set; }

    public bool IsDenoised => SegmentsDone == Plan.Segments.Count;

    /// <summary>The model of the next segment to run.</summary>
    public ModelRole NextModel => Plan.Segments[SegmentsDone].Model;

    /// <summary>The largest number of images this one shared a UNet run with.</summary>
    public int BatchSize { get; private set; } = 1;

    /// <summary>UNet evaluations this image took: two per guided step (unconditional and conditional), one per other step.</summary>
    public int ModelCalls { get; private set; }

    public double ElapsedMs { get; set; }

    /// <summary>Its share of the one-time work done while its batches ran (loading, warm-up), kept out of the times above.</summary>
    public double SetupMs { get; set; }

    public double UNetMs { get; set; }

    public double DenoiseMs { get; set; }

    public void Start(int channels, int latentHeight, int latentWidth)
    {
        if (Latent is not null)
        {
            return;
        }
        Latent = new float[channels * latentHeight * latentWidth];
        var first = Plan.Segments[0];
        float sigma = Plan.SchedulerOf(first).InitNoiseSigma(first.Steps[0].Timestep);
        if (InitialLatents is { } given)
        {
            // diffusers: latents * init_noise_sigma, in float32.
            TensorPrimitives.Multiply(given.LatentOf(channels, latentHeight, latentWidth), sigma, Latent);
        }
        else
        {
            Noise.Fill(Latent, sigma);
        }
    }

    /// <summary>Records one finished segment run in a batch of <paramref name="rows"/> images, which took <paramref name="modelCalls"/> UNet evaluations per image.</summary>
    public void Advance(int rows, int modelCalls)
    {
        SegmentsDone++;
        ModelCalls += modelCalls;
        BatchSize = Math.Max(BatchSize, rows);
    }
}
