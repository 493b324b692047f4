using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Cli;

/// <summary>The embedding-model options of `hybrid diversity` and `hybrid x0-trajectory`, mapped onto <see cref="EmbeddingOptions"/>.</summary>
internal sealed class EmbeddingCliOptions
{
    private readonly Option<string?> _model;
    private readonly Option<EmbeddingPreset> _preset = new("--embedding-preset") { Description = "Input convention: DreamSim, Clip or Dino.", DefaultValueFactory = _ => EmbeddingOptions.DefaultPreset };
    private readonly Option<int?> _size = new("--embedding-size") { Description = "Override: side of the model's square input." };
    private readonly Option<ResizeFilter?> _resize = new("--embedding-resize") { Description = "Override: Bilinear or Bicubic." };
    private readonly Option<double?> _crop = new("--embedding-crop") { Description = "Override: centre-crop fraction of the shorter side (0 = stretch, no crop)." };
    private readonly Option<float[]?> _mean = new("--embedding-mean") { Description = "Override: per-channel mean (3 values).", AllowMultipleArgumentsPerToken = true };
    private readonly Option<float[]?> _std = new("--embedding-std") { Description = "Override: per-channel standard deviation (3 values).", AllowMultipleArgumentsPerToken = true };
    private readonly Option<TensorLayout?> _layout = new("--embedding-layout") { Description = "Override: Nchw or Nhwc (default: read from the model)." };
    private readonly Option<int> _batch = new("--embedding-batch-size") { Description = "Images per embedding run.", DefaultValueFactory = _ => EmbeddingOptions.DefaultBatchSize };

    /// <param name="modelUse">What the verb does with the embedding model, for its --help.</param>
    public EmbeddingCliOptions(string modelUse) => _model = new("--embedding-model") { Description = "ONNX image-embedding model " + modelUse };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _model, _preset, _size, _resize, _crop, _mean, _std, _layout, _batch })
        {
            command.Options.Add(option);
        }
    }

    /// <param name="provider">The verb's own --provider, shared with its other models.</param>
    public EmbeddingOptions? ToOptions(ParseResult result, ExecutionProvider provider) => result.GetValue(_model) is not string model ? null : new EmbeddingOptions
    {
        ModelPath = model,
        Preset = result.GetValue(_preset),
        Size = result.GetValue(_size),
        Filter = result.GetValue(_resize),
        CropFraction = result.GetValue(_crop),
        Mean = NullIfEmpty(result.GetValue(_mean)),
        Std = NullIfEmpty(result.GetValue(_std)),
        Layout = result.GetValue(_layout),
        BatchSize = result.GetValue(_batch),
        Provider = provider,
    };

    // An option that is not given parses as an empty list; only given values override the preset.
    private static float[]? NullIfEmpty(float[]? values) => values is { Length: > 0 } ? values : null;
}
