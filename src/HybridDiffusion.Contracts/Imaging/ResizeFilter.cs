namespace HybridDiffusion.Contracts.Imaging;

/// <summary>Resampling kernels. Both widen with the scale when shrinking, so downscaling averages instead of aliasing.</summary>
public enum ResizeFilter
{
    /// <summary>Triangle kernel (support 1).</summary>
    Bilinear,

    /// <summary>Keys cubic kernel with a = −0.5 (support 2), the usual "bicubic".</summary>
    Bicubic,
}
