namespace HybridDiffusion.Analysis.Benchmarks;

/// <summary>The figures of one benchmark run; ratios compare rows measured in the same run.</summary>
/// <param name="HybridOverDistilled">Hybrid ÷ distilled per-image time at the smallest batch size (null unless both were measured).</param>
/// <param name="AllocatedBytesPerStep">
/// Managed bytes allocated per image per extra denoising step (8- vs 4-step distilled runs), never below 0: extra steps
/// cannot free memory, so a negative difference is measurement noise and counts as 0.
/// </param>
/// <param name="AllocationNoiseBytesPerStep">
/// The noise of that figure: how much two identical 4-step measurements differ per step, or the size of a negative
/// difference when it is larger.
/// </param>
/// <param name="PeakPerRow">True when the peak was restarted before each row (Linux); otherwise it is the process's peak so far.</param>
public sealed record BenchmarkResult(IReadOnlyList<BenchmarkRow> Rows, double? HybridOverDistilled, double AllocatedBytesPerStep,
    double AllocationNoiseBytesPerStep, bool PeakPerRow);
