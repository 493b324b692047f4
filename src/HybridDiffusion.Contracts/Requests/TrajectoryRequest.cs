
namespace HybridDiffusion.Contracts.Requests;

/// <summary>What Get-X0Trajectory and `hybrid x0-trajectory` ask for: the generations to follow, which steps to decode, and where the pictures go.</summary>
public sealed record TrajectoryRequest
{
    public const int DefaultEvery = 1;

    public const double DefaultThreshold = 0.1;

    /// <summary>The generations to follow (its OutputDirectory is ignored: step images go to <see cref="OutputDirectory"/>).</summary>
    public required GenerationRequest Generation { get; init; }

    /// <summary>Decode x̂0 every Nth step (the last step always).</summary>
    public int Every { get; init; } = DefaultEvery;

    /// <summary>The distance to the final image below which a run counts as committed (the paper's Figure 5).</summary>
    public double Threshold { get; init; } = DefaultThreshold;

    /// <summary>Adds an embedding distance to the final image for every step.</summary>
    public EmbeddingOptions? Embedding { get; init; }

    /// <summary>Folder for step PNGs, grids, the commitment chart (SVG, PNG) and the HTML report; null keeps everything in memory.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The generation as it runs: every kept step decoded, nothing written by the generator itself.</summary>
    public GenerationRequest TracedGeneration => Generation with { TrajectoryEvery = Every, OutputDirectory = null };

    /// <summary>Checks every argument that needs no model.</summary>
    public void Validate()
    {
        TracedGeneration.Validate();
        if (!double.IsFinite(Threshold) || Threshold <= 0 || Threshold >= 1)
        {
            throw HybridDiffusionException.Argument(SettingId.Threshold, $"Threshold is an RMS pixel distance in (0, 1), e.g. 0.1; got {Threshold}.");
        }
        Embedding?.Validate();
    }
}
