namespace HybridDiffusion.Analysis.Benchmarks;

/// <summary>The figures of one diversity benchmark run.</summary>
/// <param name="Distinct">How many different pictures the set holds; the rest are exact copies of them.</param>
/// <param name="Seconds">The pairwise distance matrix.</param>
/// <param name="VendiSeconds">The Vendi score of that matrix.</param>
/// <param name="BootstrapSeconds">The bootstrap interval of its mean, with the default number of resamples.</param>
/// <param name="PeakWorkingSetMB">The process's peak resident memory from the start of the run to its end.</param>
/// <param name="SimdOverScalar">Speed of the SIMD pair kernel ÷ a plain scalar loop, both single-threaded on the same pairs (RMS only).</param>
public sealed record DistanceBenchmarkResult(DiversityMetric Metric, int Images, int Distinct, int Size, long Pairs, double Seconds,
    double PairsPerSecond, double VendiSeconds, double Vendi, double BootstrapSeconds, int BootstrapResamples, double PeakWorkingSetMB,
    bool PeakCoversRunOnly, int Threads, double? SimdOverScalar);
