namespace HybridDiffusion.Contracts;

/// <summary>
/// The settings of the requests (<see cref="Requests.GenerationRequest"/>, <see cref="Requests.TrajectoryRequest"/>,
/// <see cref="Requests.DiversityRequest"/>, <see cref="Requests.SliderTransferRequest"/>, the CLI's bench) that an invalid
/// argument can be blamed on. The engine reports which one (<see cref="HybridDiffusionException.Setting"/>); each face
/// names it in its own spelling (-BaseSteps, --base-steps), so no engine message carries either face's syntax.
/// </summary>
public enum SettingId
{
    // What to generate.
    Prompt,
    Seed,
    Count,
    Mode,
    Steps,
    BaseSteps,
    Guidance,
    BaseGuidance,

    /// <summary>Condition annealing (CADS) as a whole, and its schedule's thresholds, noise scale and mixing factor.</summary>
    Cads,
    CadsTau1,
    CadsTau2,
    CadsScale,
    CadsPsi,

    /// <summary>Noise on the prompt embedding for the first fraction of the steps, and that fraction.</summary>
    ConditionNoise,
    ConditionNoiseFraction,

    /// <summary>The σ interval outside which guided segments run unguided.</summary>
    GuidanceInterval,
    NoiseSource,
    InitialLatents,

    /// <summary>An explicit plan, and the timesteps a schedule is built from.</summary>
    Plan,
    Scheduler,
    Preset,
    Width,
    Height,

    // Which models, and how they run.
    BaseModel,
    DistilledModel,

    /// <summary>A slider as a whole (its text on the command line).</summary>
    Slider,
    SliderStrength,
    SliderStart,
    BatchSize,
    MemoryMode,
    ThreadCount,

    /// <summary>How long one image may take before the run is stopped.</summary>
    Timeout,
    OutputDirectory,

    // Trajectories.
    Every,
    Threshold,

    // Diversity.
    Path,
    Metric,
    GroupBy,
    Size,
    EmbeddingModel,
    EmbeddingPreset,
    EmbeddingSize,
    EmbeddingCrop,
    EmbeddingMean,
    EmbeddingStd,
    EmbeddingLayout,
    EmbeddingBatchSize,
    MinimumDistance,
    MinimumVendi,
    ReferenceGroup,
    PictureDirectory,
    BootstrapResamples,

    /// <summary>The reference set of FID and KID: images, or reference statistics saved by an earlier run.</summary>
    Reference,

    /// <summary>Where the reference set's statistics are saved for later runs.</summary>
    SaveReference,
    MaximumFid,
    MaximumKid,

    /// <summary>The classifier whose logits give each group's Inception Score.</summary>
    InceptionModel,

    /// <summary>How many of the base set's principal directions each other set's variance is measured along.</summary>
    Directions,

    /// <summary>Face-less: the faces always ask for 95% intervals.</summary>
    ConfidenceLevel,

    /// <summary>The JUnit report file of a diversity gate.</summary>
    JUnit,

    // Prompt adherence: the CLIP image + text pair (or the demo pair's own measure), where each image's prompt is read
    // from, and the gate.
    ClipImageModel,
    ClipTextModel,
    Demo,
    PromptFromMetadata,
    MinimumAdherence,

    // Slider transfer: the strengths compared with strength 0.
    Strength,

    // Bench (a CLI verb only): how many images, rounds and batches to time.
    Images,

    // Studies.
    /// <summary>The study file (or, in PowerShell, a hashtable): an error names the path of the key inside it.</summary>
    Study,
    Shard,
    ShardCount,
    Report,
    Baseline,
    MaxDrop,

    /// <summary>Face-less: noise tensors recorded by diffusers, replayed by the parity check.</summary>
    RecordedNoise,

    /// <summary>Face-less: the demo model cache, set by the HYBRIDDIFFUSION_HOME environment variable.</summary>
    DemoCache,
}
