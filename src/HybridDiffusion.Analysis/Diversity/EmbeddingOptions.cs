using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Core.Onnx;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>Which ONNX image-embedding model to use and how to feed it.</summary>
public sealed record EmbeddingOptions
{
    public required string ModelPath { get; init; }

    public EmbeddingPreset Preset { get; init; } = EmbeddingPreset.DreamSim;

    /// <summary>Overrides of the preset; each null keeps the preset's value.</summary>
    public int? Size { get; init; }

    public ResizeFilter? Filter { get; init; }

    /// <summary>Centre-crop fraction; 0 turns the preset's crop off (stretch to a square).</summary>
    public double? CropFraction { get; init; }

    public IReadOnlyList<float>? Mean { get; init; }

    public IReadOnlyList<float>? Std { get; init; }

    public TensorLayout? Layout { get; init; }

    /// <summary>Images per session run (a model with a fixed batch dimension uses its own).</summary>
    public int BatchSize { get; init; } = 16;

    public SessionSettings Session { get; init; } = SessionSettings.Default;

    /// <summary>The preset with the overrides applied; <see cref="SizeOverridden"/> tells whether the size was chosen by the user.</summary>
    public EmbeddingPreprocessing Preprocessing()
    {
        var preset = EmbeddingPreprocessing.For(Preset);
        var result = preset with
        {
            Size = Size ?? preset.Size,
            Filter = Filter ?? preset.Filter,
            CropFraction = CropFraction switch { null => preset.CropFraction, 0 => null, double f => f },
            Mean = Mean ?? preset.Mean,
            Std = Std ?? preset.Std,
            Layout = Layout ?? preset.Layout,
        };
        result.Validate();
        if (BatchSize < 1)
        {
            throw HybridDiffusionException.Argument("EmbeddingBatchSize", $"The embedding batch size must be at least 1; got {BatchSize}.");
        }
        return result;
    }

    public bool SizeOverridden => Size is not null;
}
