using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The automatic choices of a request: how many images share a UNet run, and whether both UNets stay loaded.
/// Pure functions of sizes, so the rules are documented and tested as they are.
/// </summary>
internal static class ResourcePlanner
{
    /// <summary>The largest automatic batch.</summary>
    public const int MaxAutoBatch = 8;

    /// <summary>UNets up to this size batch automatically on the CPU (the per-run overhead there is a large share of a step).</summary>
    public const long SmallUNetBytes = 256L << 20;

    /// <summary>
    /// Auto batch size: on the CPU, small UNets batch up to <see cref="MaxAutoBatch"/> images, because fixed per-run
    /// costs dominate their steps; large ones run one image at a time, as their arithmetic already fills the cores and
    /// a batch would only add activation memory. On CUDA every UNet batches up to <see cref="MaxAutoBatch"/>.
    /// Never more than the request's images.
    /// </summary>
    /// <param name="provider">The provider the first UNet runs on (Cpu or Cuda, as its session reports it).</param>
    public static int AutoBatchSize(long largestUNetBytes, ExecutionProvider provider, int images)
    {
        int batch = provider == ExecutionProvider.Cuda || largestUNetBytes <= SmallUNetBytes ? MaxAutoBatch : 1;
        return Math.Clamp(batch, 1, Math.Max(1, images));
    }

    /// <summary>
    /// Auto memory mode: Sequential when the request runs two different UNets and loading both would need more than
    /// 80% of the memory available now (ONNX Runtime needs about 1.5× a model's file size while it loads it), else
    /// Concurrent.
    /// </summary>
    public static MemoryMode ResolveMemoryMode(MemoryMode requested, long baseUNetBytes, long distilledUNetBytes, bool bothUsed, long availableBytes)
    {
        if (requested != MemoryMode.Auto)
        {
            return requested;
        }
        if (!bothUsed || availableBytes <= 0)
        {
            return MemoryMode.Concurrent;
        }
        double needed = baseUNetBytes + distilledUNetBytes + 0.5 * Math.Max(baseUNetBytes, distilledUNetBytes);
        return needed > 0.8 * availableBytes ? MemoryMode.Sequential : MemoryMode.Concurrent;
    }

    /// <summary>
    /// The least memory one image of this size needs with any model: its 4-channel latent at 1/8 of the size (held
    /// three times around a scheduler step), the decoded float pixels and their 8-bit copy. The VAE's own activations
    /// come on top, so a request above it cannot succeed.
    /// </summary>
    public static long MinimumImageBytes(int width, int height)
    {
        long pixels = (long)width * height;
        return 3 * (pixels / 64 * 4 * sizeof(float)) + pixels * 3 * sizeof(float) + pixels * 3;
    }

    /// <summary>Refuses, before any model is loaded, an image size whose minimum memory is more than is available.</summary>
    public static void CheckImageFits(GenerationSettings settings, long availableBytes)
    {
        long needed = MinimumImageBytes(settings.Width, settings.Height);
        if (availableBytes > 0 && needed > availableBytes)
        {
            throw HybridDiffusionException.Argument(SettingId.Width,
                $"A {settings.Width}×{settings.Height} image needs at least {needed >> 20} MB (latent and decoded pixels, before the VAE's own memory), " +
                $"and {availableBytes >> 20} MB are available. Choose a smaller width and height.");
        }
    }

    /// <summary>
    /// Memory the process could still use: MemAvailable on Linux (free plus reclaimable cache), otherwise what the
    /// runtime reports as available to it minus what the process already uses.
    /// </summary>
    public static long AvailableMemoryBytes() =>
        ProcFile.ReadKilobytesAsBytes("/proc/meminfo", "MemAvailable")
        ?? Math.Max(0, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - Environment.WorkingSet);
}
