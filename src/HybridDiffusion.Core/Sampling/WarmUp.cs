namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// One-time work run before a small model's first real run, so that loading, the first runs' allocations and
/// compiling the loop are reported as setup, not charged to the first batch's images. A large model is not run twice:
/// there a run costs far more than the first-run overhead it would move.
/// </summary>
internal sealed class WarmUp
{
    /// <summary>Models up to this size are warmed up with extra runs (see <see cref="IsCheap"/>).</summary>
    internal const long LimitBytes = 64L << 20;

    private readonly HashSet<VaeDecoder> _warmDecoders = new();

    // An extra warm-up run is worth it only where a run is cheap next to the first-run overhead it takes out of the
    // per-image times (the demo pair, small fixtures); an SDXL UNet's extra step would cost seconds of real compute.
    public static bool IsCheap(string modelPath) => OnnxFileSize.Of(modelPath) <= LimitBytes;

    /// <summary>Whether a segment needs a warm-up: a small UNet with a binding that has never run.</summary>
    public static bool IsNeeded(UNetBinding[] bindings, UNetModel unet) =>
        bindings.Any(b => b.RunTime == TimeSpan.Zero) && IsCheap(unet.ModelPath);

    /// <summary>
    /// Runs the segment's first step on copies of the rows (the bindings' outputs are overwritten by the real steps),
    /// then once each binding the first step did not reach.
    /// </summary>
    public static void FirstStep(DenoisingLoop loop, in SegmentRun run, LatentRow[] rows, RunOptions runOptions, CancellationToken cancellation)
    {
        var copies = rows.Select(r => new LatentRow(r.Latent.ToArray(), new GaussianNoise(0))).ToArray();
        int segmentIndex = run.SegmentIndex;
        var firstStep = run.Plan with
        {
            Segments = run.Plan.Segments.Select((s, i) => i == segmentIndex ? s with { Steps = s.Steps.Take(1).ToArray() } : s).ToArray(),
        };
        loop.RunSegment(firstStep, segmentIndex, copies, run.Bindings, runOptions, null, cancellation, run.Perturbation);
        foreach (var binding in run.Bindings.Distinct().Where(b => b.RunTime == TimeSpan.Zero))
        {
            binding.Run(run.Segment.Steps[0].Timestep, runOptions);
        }
    }

    /// <summary>
    /// The decoder's first runs at this batch's shape, when it is small and has not been warmed up yet; false when
    /// nothing ran. It takes two: the second run at a shape is still slower than the ones after it (measured on the demo pair).
    /// </summary>
    public bool Decoder(VaeDecoder decoder, IReadOnlyList<float[]> latents, int channels, int latentHeight, int latentWidth, RunOptions runOptions)
    {
        if (!_warmDecoders.Add(decoder) || !IsCheap(decoder.ModelPath))
        {
            return false;
        }
        for (int run = 0; run < 2; run++)
        {
            decoder.Decode(latents, channels, latentHeight, latentWidth, runOptions);
        }
        return true;
    }
}
