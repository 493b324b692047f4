namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// What a finished unit leaves beside its image (SEED.json): which unit it is, of which study, the image's hash, how it
/// was made, its features (the embedding vector, the x̂0 distance curve when asked) and its timings, which the merged
/// summary keeps apart.
/// </summary>
internal sealed record UnitRecord
{
    public required string Study { get; init; }

    public required int PromptIndex { get; init; }

    public required string Prompt { get; init; }

    public required string Setting { get; init; }

    public required long Seed { get; init; }

    /// <summary>The image, relative to the results folder (forward slashes).</summary>
    public required string Image { get; init; }

    public required string ImageSha256 { get; init; }

    public required string Provider { get; init; }

    public required int BatchSize { get; init; }

    public required int ThreadCount { get; init; }

    public required string Plan { get; init; }

    /// <summary>UNet evaluations the image took (two per guided step); 0 in records written before it was kept.</summary>
    public int ModelCalls { get; init; }

    /// <summary>The embedding model's unit vector of the image, when the study measures the embedding metric.</summary>
    public float[]? Embedding { get; init; }

    /// <summary>
    /// The embedding model's own vector of the image (not normalised: FID and KID compare these, as the reference's),
    /// when the study names a reference set.
    /// </summary>
    public float[]? Features { get; init; }

    /// <summary>The x̂0 distance to the final image per step, as (fraction of steps done, distance) pairs, when asked.</summary>
    public double[][]? Trajectory { get; init; }

    public required UnitTimings Timings { get; init; }
}
