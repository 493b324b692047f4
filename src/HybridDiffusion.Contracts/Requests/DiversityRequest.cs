using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// What Measure-SampleDiversity and `hybrid diversity` ask for: how to group the images, metrics, thresholds, the
/// reference group, pictures, and the reference set each group's distribution is compared with (FID, KID). The images
/// themselves are passed beside it.
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

    /// <summary>
    /// The reference set of FID and KID: PNG files, folders, wildcards, a text file listing PNG files one per line, or a
    /// reference statistics file (.fidstats) saved by an earlier run. Null measures no distribution.
    /// </summary>
    public string? ReferencePath { get; init; }

    /// <summary>Where to save the reference set's statistics (mean, covariance, count, embedding model) for later runs.</summary>
    public string? SaveReference { get; init; }

    /// <summary>CI gate: a group whose FID against the reference is above this fails.</summary>
    public double? MaximumFid { get; init; }

    /// <summary>CI gate: a group whose KID against the reference is above this fails.</summary>
    public double? MaximumKid { get; init; }

    /// <summary>
    /// A classifier ONNX model (logits [batch, classes], fed as <see cref="EmbeddingOptions"/> say) whose outputs give each
    /// group's Inception Score; null computes none.
    /// </summary>
    public EmbeddingOptions? Inception { get; init; }

    /// <summary>
    /// For each prompt, the base set's top this-many principal directions of the embeddings, and each other set's
    /// variance along them; null measures none. Needs <see cref="Embedding"/>.
    /// </summary>
    public int? Directions { get; init; }

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
        Inception?.Validate();
        if (Size < MinSize || Size > MaxSize)
        {
            throw HybridDiffusionException.Argument(SettingId.Size, $"The comparison size must be between {MinSize} and {MaxSize} pixels; got {Size}.");
        }
        foreach (var (setting, words, value) in new[]
        {
            (SettingId.MinimumDistance, "minimum distance", MinimumDistance), (SettingId.MinimumVendi, "minimum Vendi score", MinimumVendi),
            (SettingId.MaximumFid, "maximum FID", MaximumFid), (SettingId.MaximumKid, "maximum KID", MaximumKid),
        })
        {
            if (value is double v && (!double.IsFinite(v) || v < 0))
            {
                throw HybridDiffusionException.Argument(setting, $"The {words} must be a finite number ≥ 0; got {v}.");
            }
        }
        ValidateReference();
        ValidateDirections();
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

    private void ValidateDirections()
    {
        if (Directions is not int directions)
        {
            return;
        }
        if (directions < 1)
        {
            throw HybridDiffusionException.Argument(SettingId.Directions,
                $"The number of variation directions must be at least 1 (e.g. 8: the base set's top 8 directions); got {directions}.");
        }
        if (Embedding is null)
        {
            throw HybridDiffusionException.Argument(SettingId.EmbeddingModel,
                "Variation directions are taken from image embeddings: name an embedding model (.onnx).");
        }
    }

    // FID and KID compare embeddings with a reference set: the settings that need one refuse to run without it.
    private void ValidateReference()
    {
        if (ReferencePath is null)
        {
            foreach (var (setting, words) in new[] { (SettingId.SaveReference, SaveReference is null ? null : "Saving reference statistics"),
                (SettingId.MaximumFid, MaximumFid is null ? null : "The FID gate"), (SettingId.MaximumKid, MaximumKid is null ? null : "The KID gate") })
            {
                if (words is not null)
                {
                    throw HybridDiffusionException.Argument(setting, $"{words} needs a reference set: name its images or its saved statistics.");
                }
            }
            return;
        }
        if (string.IsNullOrWhiteSpace(ReferencePath))
        {
            throw HybridDiffusionException.Argument(SettingId.Reference, "The reference set is empty: name PNG files, a folder, a list file or a .fidstats file.");
        }
        if (Embedding is null)
        {
            throw HybridDiffusionException.Argument(SettingId.EmbeddingModel,
                "FID and KID compare image embeddings with the reference set's: name an embedding model (.onnx), the one the reference was made with.");
        }
    }
}
