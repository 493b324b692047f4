using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>Which ONNX image-embedding model to use and how to feed it (a preset, and overrides of its values).</summary>
public sealed record EmbeddingOptions
{
    public const EmbeddingPreset DefaultPreset = EmbeddingPreset.DreamSim;

    public const int DefaultBatchSize = 16;

    public required string ModelPath { get; init; }

    public EmbeddingPreset Preset { get; init; } = DefaultPreset;

    /// <summary>Overrides of the preset; each null keeps the preset's value.</summary>
    public int? Size { get; init; }

    public ResizeFilter? Filter { get; init; }

    /// <summary>Centre-crop fraction; 0 turns the preset's crop off (stretch to a square).</summary>
    public double? CropFraction { get; init; }

    public IReadOnlyList<float>? Mean { get; init; }

    public IReadOnlyList<float>? Std { get; init; }

    public TensorLayout? Layout { get; init; }

    /// <summary>Images per session run (a model with a fixed batch dimension uses its own).</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>The execution provider the embedding session asks for.</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Auto;

    /// <summary>Whether the model's input size was chosen by the user rather than the preset.</summary>
    public bool SizeOverridden => Size is not null;

    /// <summary>The checks that need no preset table (the engine checks the preset with its overrides applied).</summary>
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw HybridDiffusionException.Argument(SettingId.EmbeddingBatchSize, $"The embedding batch size must be at least 1; got {BatchSize}.");
        }
    }
}
