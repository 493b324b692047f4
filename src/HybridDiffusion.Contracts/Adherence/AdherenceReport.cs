namespace HybridDiffusion.Contracts.Adherence;

/// <summary>
/// Prompt adherence of one group of images (the images of one prompt): the mean score (mean CLIP score, or the fraction
/// of images on the prompt for the demo measure), its spread, each image's judgement and the gate's verdict.
/// </summary>
public sealed record AdherenceReport
{
    public required string Group { get; init; }

    public required AdherenceMeasure Measure { get; init; }

    public required int Count { get; init; }

    public required double Mean { get; init; }

    public required double StandardDeviation { get; init; }

    public double? MinimumAdherence { get; init; }

    public required IReadOnlyList<ImageAdherence> Images { get; init; }

    /// <summary>Why the group failed its gate; empty when it passed or had none.</summary>
    public IReadOnlyList<string> Failures { get; init; } = Array.Empty<string>();

    public bool Passed => Failures.Count == 0;
}
