namespace HybridDiffusion.Contracts.Diversity;

/// <summary>How two images are compared.</summary>
public enum DiversityMetric
{
    /// <summary>Root-mean-square pixel difference at a fixed size, in [0, 1].</summary>
    Rms,

    /// <summary>1 − SSIM (per-channel mean, 11-tap Gaussian window σ 1.5).</summary>
    Ssim,

    /// <summary>1 − MS-SSIM over five scales.</summary>
    MsSsim,

    /// <summary>1 − cosine similarity of an ONNX image-embedding model's outputs.</summary>
    Embedding,
}
