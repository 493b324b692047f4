namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Runs parallel work on the thread pool while the calling thread relays its progress, so observers (PowerShell's
/// WriteProgress in particular) are only ever called on the thread that started the measurement.
/// </summary>
internal static class ProgressPump
{
    private const int PollMilliseconds = 100;

    public static T Run<T>(Func<IProgress<double>, T> work, Action<double> report, CancellationToken cancellation)
    {
        var latest = new LatestValue();
        var task = Task.Run(() => work(latest), cancellation);
        double shown = -1;
        while (!task.Wait(PollMilliseconds))
        {
            double value = latest.Value;
            if (value > shown)
            {
                shown = value;
                report(value);
            }
        }
        // Rethrows the work's own exception (cancellation included) rather than an AggregateException.
        var result = task.GetAwaiter().GetResult();
        report(1.0);
        return result;
    }

    private sealed class LatestValue : IProgress<double>
    {
        private double _value;

        public double Value => Volatile.Read(ref _value);

        public void Report(double value) => Volatile.Write(ref _value, value);
    }
}
