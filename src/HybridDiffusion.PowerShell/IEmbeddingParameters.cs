using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// The embedding-model parameters that Get-X0Trajectory and Measure-SampleDiversity both declare (the CLI's
/// EmbeddingCliOptions), so that <see cref="EngineCmdlet.EmbeddingOptionsOf"/> maps them onto
/// <see cref="EmbeddingOptions"/> in one place. A cmdlet declares them itself: PowerShell binds only a cmdlet's own
/// properties, and each of these cmdlets already has its base class.
/// </summary>
internal interface IEmbeddingParameters
{
    string? EmbeddingModel { get; }

    EmbeddingPreset EmbeddingPreset { get; }

    int EmbeddingSize { get; }

    ResizeFilter EmbeddingResize { get; }

    double EmbeddingCrop { get; }

    float[]? EmbeddingMean { get; }

    float[]? EmbeddingStd { get; }

    TensorLayout EmbeddingLayout { get; }
}
