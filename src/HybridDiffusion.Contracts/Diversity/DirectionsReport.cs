namespace HybridDiffusion.Contracts.Diversity;

/// <summary>
/// For one prompt, how much one set's variation (distilled, hybrid) lies along the base model's top principal
/// directions of that prompt's embeddings: the measurable form of "possesses the base's variation directions but does
/// not activate them".
/// </summary>
public sealed record DirectionsReport
{
    public required string Prompt { get; init; }

    /// <summary>The compared set: its group (of the group-by) among this prompt's images.</summary>
    public required string Group { get; init; }

    public required int Count { get; init; }

    /// <summary>The base set's group: the one whose images are all of Mode Base.</summary>
    public required string BaseGroup { get; init; }

    public required int BaseCount { get; init; }

    /// <summary>k, the number of the base's top directions compared.</summary>
    public required int Directions { get; init; }

    /// <summary>The base set's share of its total variance along each of its top k directions (its spectrum), descending.</summary>
    public required IReadOnlyList<double> BaseShares { get; init; }

    /// <summary>The base set's variance along each of the k directions, in the embedding's units.</summary>
    public required IReadOnlyList<double> BaseVariances { get; init; }

    /// <summary>This set's variance along each of the k directions, about its own mean.</summary>
    public required IReadOnlyList<double> Variances { get; init; }

    /// <summary>This set's variance over the base's, direction by direction (1: as active as the base).</summary>
    public required IReadOnlyList<double> RelativeVariances { get; init; }

    /// <summary>The share of the base set's total variance along the k directions.</summary>
    public required double BaseFraction { get; init; }

    /// <summary>The share of this set's total variance along the k directions.</summary>
    public required double Fraction { get; init; }

    /// <summary>This set's total variance over the base's: how much it varies at all.</summary>
    public required double TotalVarianceRatio { get; init; }

    /// <summary>The chart of the prompt's spectra (SVG); null when no pictures were asked for.</summary>
    public string? ChartPath { get; init; }
}
