namespace HybridDiffusion.Contracts.Sampling;

/// <summary>Whether a request keeps the base and distilled UNets loaded together.</summary>
public enum MemoryMode
{
    /// <summary>Sequential when both UNets together would not fit in the memory available now, else Concurrent.</summary>
    Auto,

    /// <summary>Both UNets stay loaded; each batch runs its whole plan at once, and images stream out batch by batch.</summary>
    Concurrent,

    /// <summary>
    /// One UNet at a time: every image's base segment runs, the base UNet is released, then the distilled segments
    /// run. Peak memory is about the larger UNet plus the shared parts; images come out when their last segment ends.
    /// </summary>
    Sequential,
}
