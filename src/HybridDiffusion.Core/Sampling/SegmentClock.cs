using System.Diagnostics;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The timings of one segment run over a batch, shared equally among its images: the work before the loop (binding,
/// conditioning) counts as setup when a warm-up ran and as the batch's own time otherwise; the loop alone is the
/// denoising time, its session.Run calls the UNet time (what `hybrid bench`'s loop/run and µs/step compare).
/// </summary>
internal struct SegmentClock
{
    private readonly long _startedAt;
    private long _countedFrom;
    private double _setupMs;
    private long _loopStartedAt;
    private TimeSpan _unetBefore;

    /// <param name="startedAt">When the segment's work began (<see cref="Stopwatch.GetTimestamp"/>).</param>
    public SegmentClock(long startedAt) => _startedAt = _countedFrom = startedAt;

    /// <summary>A warm-up has run: everything so far is one-time setup, and the batch's time counts from now.</summary>
    public void SetupDone()
    {
        _setupMs = Stopwatch.GetElapsedTime(_startedAt).TotalMilliseconds;
        _countedFrom = Stopwatch.GetTimestamp();
    }

    public void LoopStarts(UNetBinding[] bindings)
    {
        _unetBefore = RunTime(bindings);
        _loopStartedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>The loop has ended: adds each image's share of the segment's times.</summary>
    public readonly void Charge(IReadOnlyList<ImageJob> batch, UNetBinding[] bindings)
    {
        double denoiseMs = Stopwatch.GetElapsedTime(_loopStartedAt).TotalMilliseconds;
        double unetMs = (RunTime(bindings) - _unetBefore).TotalMilliseconds;
        double elapsedMs = Stopwatch.GetElapsedTime(_countedFrom).TotalMilliseconds;
        foreach (var job in batch)
        {
            job.DenoiseMs += denoiseMs / batch.Count;
            job.UNetMs += unetMs / batch.Count;
            job.ElapsedMs += elapsedMs / batch.Count;
            job.SetupMs += _setupMs / batch.Count;
        }
    }

    private static TimeSpan RunTime(UNetBinding[] bindings)
    {
        var total = TimeSpan.Zero;
        for (int i = 0; i < bindings.Length; i++)
        {
            // A binding that serves several steps is counted once.
            if (Array.IndexOf(bindings, bindings[i]) == i)
            {
                total += bindings[i].RunTime;
            }
        }
        return total;
    }
}
