using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Trajectories;

/// <summary>What Get-X0Trajectory runs: prompts × modes × seeds, which steps to decode, and where the pictures go.</summary>
public sealed record TrajectoryRequest
{
    /// <summary>The generations to follow (its OutputDirectory is ignored: step images go to <see cref="OutputDirectory"/>).</summary>
    public required GenerationRequest Generation { get; init; }

    /// <summary>Decode x̂0 every Nth step (the last step always).</summary>
    public int Every { get; init; } = 1;

    /// <summary>The distance to the final image below which a run counts as committed (the paper's Figure 5).</summary>
    public double Threshold { get; init; } = 0.1;

    /// <summary>Adds an embedding distance to the final image for every step.</summary>
    public EmbeddingOptions? Embedding { get; init; }

    /// <summary>Folder for step PNGs, grids, the commitment chart (SVG, PNG) and the HTML report; null keeps everything in memory.</summary>
    public string? OutputDirectory { get; init; }

    public void Validate()
    {
        (Generation with { TrajectoryEvery = Every, OutputDirectory = null }).Validate();
        if (!double.IsFinite(Threshold) || Threshold <= 0 || Threshold >= 1)
        {
            throw HybridDiffusionException.Argument("Threshold", $"Threshold is an RMS pixel distance in (0, 1), e.g. 0.1; got {Threshold}.");
        }
        Embedding?.Preprocessing();
    }
}
