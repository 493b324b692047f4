using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>Everything one diversity measurement needs: the images, how to group them, metrics, thresholds and pictures.</summary>
public sealed record DiversityRequest
{
    public const int DefaultSize = 128;

    public IReadOnlyList<DiversitySample> Samples { get; init; } = Array.Empty<DiversitySample>();

    public IReadOnlyList<DiversityMetric> Metrics { get; init; } = new[] { DiversityMetric.Rms };

    /// <summary>The property that splits samples into groups (Prompt by default; any PNG text key, File or Directory).</summary>
    public string GroupBy { get; init; } = "Prompt";

    /// <summary>Side of the square every image is resized to for the model-free metrics.</summary>
    public int Size { get; init; } = DefaultSize;

    /// <summary>Needed when <see cref="Metrics"/> holds <see cref="DiversityMetric.Embedding"/>.</summary>
    public EmbeddingOptions? Embedding { get; init; }

    /// <summary>CI gate: a group whose mean pairwise distance is below this fails.</summary>
    public double? MinimumDistance { get; init; }

    /// <summary>CI gate: a group whose Vendi score is below this fails.</summary>
    public double? MinimumVendi { get; init; }

    /// <summary>Keep each group's full distance matrix in its report.</summary>
    public bool IncludeMatrix { get; init; }

    /// <summary>Folder for a contact sheet per group and a heatmap per group and metric; null draws none.</summary>
    public string? PictureDirectory { get; init; }

    /// <summary>Compare every other group with this one (ratio of means, whether the intervals separate).</summary>
    public string? ReferenceGroup { get; init; }

    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>The most resamples a request may ask for: beyond it an interval moves by less than its own rounding.</summary>
    public const int MaxBootstrapResamples = 100_000;

    public int BootstrapSeed { get; init; }

    public double ConfidenceLevel { get; init; } = 0.95;

    public void Validate()
    {
        if (Samples.Count == 0)
        {
            throw HybridDiffusionException.Argument("Path", "No images to measure; pass PNG files or generated images.");
        }
        ValidateSettings();
    }

    /// <summary>Checks everything but the samples, so a face can refuse bad settings before it reads any image.</summary>
    public void ValidateSettings()
    {
        if (Metrics.Count == 0)
        {
            throw HybridDiffusionException.Argument("Metric", "At least one metric is needed: Rms, Ssim, MsSsim or Embedding.");
        }
        if (Metrics.Contains(DiversityMetric.Embedding) && Embedding is null)
        {
            throw HybridDiffusionException.Argument("EmbeddingModel", "The Embedding metric needs an embedding model: name its .onnx file.");
        }
        if (Embedding is not null)
        {
            Embedding.Preprocessing();
        }
        int minimum = Metrics.Contains(DiversityMetric.MsSsim) ? StructuralSimilarity.MinimumMsSsimSize : 16;
        if (Size < minimum || Size > 2048)
        {
            throw HybridDiffusionException.Argument("Size", $"The comparison size must be between {minimum} and 2048 pixels{(minimum > 16 ? " for MS-SSIM" : "")}; got {Size}.");
        }
        foreach (var (name, words, value) in new[] { ("MinimumDistance", "minimum distance", MinimumDistance), ("MinimumVendi", "minimum Vendi score", MinimumVendi) })
        {
            if (value is double v && (!double.IsFinite(v) || v < 0))
            {
                throw HybridDiffusionException.Argument(name, $"The {words} must be a finite number ≥ 0; got {v}.");
            }
        }
        if (BootstrapResamples < 10 || BootstrapResamples > MaxBootstrapResamples)
        {
            throw HybridDiffusionException.Argument("BootstrapResamples",
                $"Use 10 to {MaxBootstrapResamples} bootstrap resamples (1000 is plenty for a 95% interval; more only costs time); got {BootstrapResamples}.");
        }
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw HybridDiffusionException.Argument("ConfidenceLevel", $"The confidence level must be between 0 and 1 (e.g. 0.95); got {ConfidenceLevel}.");
        }
        if (string.IsNullOrWhiteSpace(GroupBy))
        {
            throw HybridDiffusionException.Argument("GroupBy", "The group-by key names a property (Prompt, Mode, Seed, File, Directory, ...); it cannot be empty.");
        }
    }
}
