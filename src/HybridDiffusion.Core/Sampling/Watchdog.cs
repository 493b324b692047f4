namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// A run's per-image timeout: cancels the run's limit when a batch goes longer than the timeout times its
/// image count without progress, so a model that never finishes (a Loop without end) is stopped like Ctrl+C stops it.
/// Without a timeout it does nothing.
/// </summary>
internal sealed class Watchdog
{
    private readonly CancellationTokenSource _limit;
    private readonly double? _seconds;
    private readonly TimeSpan _window;

    public Watchdog(CancellationTokenSource limit, double? timeoutSeconds, int batchSize)
    {
        _limit = limit;
        _seconds = timeoutSeconds;
        _window = timeoutSeconds is double seconds ? TimeSpan.FromSeconds(Math.Min(seconds * batchSize, int.MaxValue / 1000.0)) : Timeout.InfiniteTimeSpan;
    }

    /// <summary>Progress was made: the window starts again.</summary>
    public void Restart()
    {
        if (_seconds is not null && !_limit.IsCancellationRequested)
        {
            _limit.CancelAfter(_window);
        }
    }

    /// <summary>The error a run stopped by the timeout ends with.</summary>
    public HybridDiffusionException Expired(Exception stopped) => new(HybridErrorKind.InvalidModel,
        FormattableString.Invariant($"An image made no progress within the timeout ({_seconds} s per image, {_window.TotalSeconds} s for its batch), so the run was stopped. ") +
        "A model that never finishes (for example a Loop without end) is stopped this way; if the model is only slow on this machine, allow more time.",
        SettingId.Timeout.ToString(), stopped);
}
