namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// What the engine's sequential memory mode holds at once, published for callers that size their requests to it: a
/// study puts at most one window of images in a request, so the engine's own batching cuts exactly the study's batches.
/// </summary>
public static class SequentialMemory
{
    /// <summary>Images whose latents sequential mode holds at once.</summary>
    public const int WindowImages = BatchOrder.SequentialWindow;
}
