using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>What a study measures: its metrics (the embedding's vectors are recorded per unit), x̂0 curves, the bootstrap, FID/KID and prompt adherence.</summary>
public sealed record StudyMeasure
{
    public IReadOnlyList<DiversityMetric> Metrics { get; init; } = new[] { DiversityMetric.Rms };

    /// <summary>Side of the square images are resized to for the pixel metrics.</summary>
    public int Size { get; init; } = 128;

    /// <summary>Needed with the Embedding metric: its vectors are computed as units are made and kept in their records.</summary>
    public EmbeddingOptions? Embedding { get; init; }

    /// <summary>Record each unit's x̂0 distance-to-final curve (the paper's Figure 5).</summary>
    public bool Trajectories { get; init; }

    /// <summary>Distance to the final image below which an image counts as committed (the commitment chart's line).</summary>
    public double Threshold { get; init; } = 0.05;

    public int BootstrapResamples { get; init; } = 1000;

    public int BootstrapSeed { get; init; }

    /// <summary>
    /// The reference set each prompt × setting group's FID and KID compare with (what --reference accepts: PNG files,
    /// a folder, a wildcard, a list file or saved .fidstats statistics); null measures neither. Needs <see cref="Embedding"/>:
    /// units then record the model's own (not normalised) vectors too.
    /// </summary>
    public string? Reference { get; init; }

    /// <summary>The largest FID a group passes the study's JUnit with; null gates none.</summary>
    public double? MaximumFid { get; init; }

    /// <summary>The largest KID (its mean over subsets) a group passes with; null gates none.</summary>
    public double? MaximumKid { get; init; }

    /// <summary>
    /// How the merge judges each image against its unit's prompt (the adherence verb's measure and gate; the prompt
    /// comes from the study, so <see cref="AdherenceRequest.PromptProperty"/> is not read); null judges none.
    /// </summary>
    public AdherenceRequest? Adherence { get; init; }
}
