namespace HybridDiffusion.Contracts.Diversity;

/// <summary>How an embedding model's tensor is laid out.</summary>
public enum TensorLayout
{
    /// <summary>[batch, 3, height, width].</summary>
    Nchw,

    /// <summary>[batch, height, width, 3].</summary>
    Nhwc,
}
