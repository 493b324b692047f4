using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// What Measure-SampleDiversity and `hybrid diversity` ask for: how to group the images, metrics, thresholds, the
/// reference group and pictures. The images themselves are passed beside it.
/// </summary>
public sealed record DiversityRequest
{
    /// <summary>The sides images may be compared at.</summary>
    public const int MinSize = 16, MaxSize = 2048;

    /// <summary>The resamples a request may ask for: beyond the most, an interval moves by less than its own rounding.</summary>
    public const int MinBootstrapResamples = 10, MaxBootstrapResamples = 100_000;

    /// <summary>A request with every default: where the faces read theirs.</summary>
    public static DiversityRequest Defaults { get; } = new();

    public IReadOnlyList<DiversityMetric> Metrics { get; init; } = new[] { DiversityMetric.Rms };

    /// <summary>The property that splits samples into groups (Prompt by default; any PNG text key, File or Directory).</summary>
    public string GroupBy { get; init; } = "Prompt";

    /// <summary>Side of the square every image is resized to for the model-free metrics.</summary>
    public int Size { get; init; } = 128;

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

    public int BootstrapSeed { get; init; }

    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Checks every setting that needs no metric or model, so a face can refuse bad ones before it reads any image.</summary>
    public void Validate()
    {
        if (Metrics.Count == 0)
        {
            throw HybridDiffusionException.Argument(SettingId.Metric, "At least one metric is needed: Rms, Ssim, MsSsim or Embedding.");
        }
        if (Metrics.Contains(DiversityMetric.Embedding) && Embedding is null)
        {
            throw HybridDiffusionException.Argument(SettingId.EmbeddingModel, "The Embedding metric needs an embedding model: name its .onnx file.");
        }
        Embedding?.Validate();
        if (Size < MinSize || Size > MaxSize)
        {
            throw HybridDiffusionException.Argument(SettingId.Size, $"The comparison size must be between {MinSize} and {MaxSize} pixels; got {Size}.");
        }
        foreach (var (setting, words, value) in new[] { (SettingId.MinimumDistance, "minimum distance", MinimumDistance), (SettingId.MinimumVendi, "minimum Vendi score", MinimumVendi) })
        {
            if (value is double v && (!double.IsFinite(v) || v < 0))
            {
                throw HybridDiffusionException.Argument(setting, $"The {words} must be a finite number ≥ 0; got {v}.");
            }
        }
        if (BootstrapResamples < MinBootstrapResamples || BootstrapResamples > MaxBootstrapResamples)
        {
            throw HybridDiffusionException.Argument(SettingId.BootstrapResamples,
                $"Use {MinBootstrapResamples} to {MaxBootstrapResamples} bootstrap resamples (1000 is plenty for a 95% interval; more only costs time); got {BootstrapResamples}.");
        }
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw HybridDiffusionException.Argument(SettingId.ConfidenceLevel, $"The confidence level must be between 0 and 1 (e.g. 0.95); got {ConfidenceLevel}.");
        }
        if (string.IsNullOrWhiteSpace(GroupBy))
        {
            throw HybridDiffusionException.Argument(SettingId.GroupBy, "The group-by key names a property (Prompt, Mode, Seed, File, Directory, ...); it cannot be empty.");
        }
    }
}
