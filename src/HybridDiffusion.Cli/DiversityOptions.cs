using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Cli;

/// <summary>The arguments and options of `hybrid diversity`, and their mapping onto a <see cref="DiversityRequest"/>.</summary>
internal sealed class DiversityOptions
{
    private readonly Option<string[]> _metric = new("--metric", "-m")
    {
        Description = $"{DiversityMetrics.Alternatives} (several allowed, or comma-separated).",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => DiversityRequest.Defaults.Metrics.Select(m => m.ToString().ToLowerInvariant()).ToArray(),
    };

    private readonly Option<string> _groupBy = new("--group-by", "-g")
    {
        Description = "PNG text key to group by: Prompt, Mode, Seed, File, Directory, ...",
        DefaultValueFactory = _ => DiversityRequest.Defaults.GroupBy,
    };

    private readonly Option<int> _size = new("--size") { Description = "Side images are resized to for rms/ssim/mssim.", DefaultValueFactory = _ => DiversityRequest.Defaults.Size };
    private readonly EmbeddingCliOptions _embedding = new("for --metric embedding and --reference.");
    private readonly Option<double?> _minimumDistance = new("--minimum-distance") { Description = "Gate: fail when a group's mean pairwise distance is below this." };
    private readonly Option<double?> _minimumVendi = new("--minimum-vendi") { Description = "Gate: fail when a group's Vendi score is below this." };
    private readonly Option<string?> _reference = new("--reference-group") { Description = "Compare every group with this one (ratio of means, interval separation)." };
    private readonly Option<string?> _referenceSet = new("--reference")
    {
        Description = "Reference set for FID and KID (needs --embedding-model): a PNG folder, file, wildcard, a list file (.txt, one PNG per line) or saved statistics (.fidstats).",
    };

    private readonly Option<string?> _saveReference = new("--save-reference") { Description = "Save the reference set's statistics to this .fidstats file, for later runs' --reference." };
    private readonly Option<double?> _maximumFid = new("--maximum-fid") { Description = "Gate: fail when a group's FID against --reference is above this." };
    private readonly Option<double?> _maximumKid = new("--maximum-kid") { Description = "Gate: fail when a group's KID against --reference is above this (needs reference images, not .fidstats)." };
    private readonly Option<string?> _inceptionModel = new("--inception-model")
    {
        Description = "Classifier ONNX model (logits [batch, classes]) for each group's Inception Score, mean ± std over splits of at least 10 images.",
    };

    private readonly Option<EmbeddingPreset> _inceptionPreset = new("--inception-preset")
    {
        Description = "Input convention of --inception-model: DreamSim, Clip or Dino (its input size is read from the model).",
        DefaultValueFactory = _ => EmbeddingOptions.DefaultPreset,
    };

    private readonly Option<int?> _directions = new("--directions")
    {
        Description = "Per prompt, the base-mode set's top K principal embedding directions and each other set's variance along them (needs --embedding-model; group by Mode).",
    };

    private readonly Option<string?> _pictures = new("--pictures") { Description = "Folder for a contact sheet per group and a heatmap per group and metric." };
    private readonly Option<bool> _matrix = new("--matrix") { Description = "With --json, include each distance matrix." };

    private readonly Option<int> _resamples = new("--bootstrap")
    {
        Description = "Bootstrap resamples for the confidence interval.",
        DefaultValueFactory = _ => DiversityRequest.Defaults.BootstrapResamples,
    };

    private readonly Option<int> _seed = new("--bootstrap-seed")
    {
        Description = "Seed of the bootstrap (same seed, same interval).",
        DefaultValueFactory = _ => DiversityRequest.Defaults.BootstrapSeed,
    };

    /// <summary>The images, --junit, --json, --verbose and --provider.</summary>
    public ImageInputCliOptions Input { get; } = new("one JSON object per group and metric.", "the embedding model");

    public void AddTo(Command command)
    {
        command.Arguments.Add(Input.Images);
        foreach (var option in new Option[] { _metric, _groupBy, _size, _minimumDistance, _minimumVendi, _reference, _referenceSet, _saveReference, _maximumFid, _maximumKid, _inceptionModel, _inceptionPreset, _directions, _pictures, Input.JUnit, Input.Json, _matrix, _resamples, _seed, Input.Verbose, Input.Provider })
        {
            command.Options.Add(option);
        }
        _embedding.AddTo(command);
    }

    public DiversityRequest ToRequest(ParseResult result) => new()
    {
        Metrics = result.GetValue(_metric)!.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(ParseMetric).ToArray(),
        GroupBy = result.GetValue(_groupBy)!,
        Size = result.GetValue(_size),
        Embedding = _embedding.ToOptions(result, result.GetValue(Input.Provider)),
        MinimumDistance = result.GetValue(_minimumDistance),
        MinimumVendi = result.GetValue(_minimumVendi),
        ReferenceGroup = result.GetValue(_reference),
        ReferencePath = result.GetValue(_referenceSet),
        SaveReference = result.GetValue(_saveReference),
        MaximumFid = result.GetValue(_maximumFid),
        MaximumKid = result.GetValue(_maximumKid),
        Inception = result.GetValue(_inceptionModel) is string classifier
            ? new EmbeddingOptions { ModelPath = classifier, Preset = result.GetValue(_inceptionPreset), Provider = result.GetValue(Input.Provider) }
            : null,
        Directions = result.GetValue(_directions),
        PictureDirectory = result.GetValue(_pictures),
        IncludeMatrix = result.GetValue(_matrix),
        BootstrapResamples = result.GetValue(_resamples),
        BootstrapSeed = result.GetValue(_seed),
    };

    public static DiversityMetric ParseMetric(string value) => DiversityMetrics.TryParse(value, out var metric)
        ? metric
        : throw HybridDiffusionException.Argument(SettingId.Metric, $"Unknown metric '{value}'; use {DiversityMetrics.Alternatives}.");
}
