using System.Text.Json.Serialization;

namespace HybridDiffusion.Analysis.Benchmarks;

/// <summary>One mode at one batch size.</summary>
/// <param name="MsPerImage">Median wall time per image (its share of its batch's UNet runs, plus its own decoding).</param>
/// <param name="ImagesPerSecond">1000 ÷ <paramref name="MsPerImage"/>.</param>
/// <param name="PeakWorkingSetMB">The process's peak resident memory while this row ran (see <see cref="BenchmarkResult.PeakPerRow"/>).</param>
/// <param name="LoopOverRun">Denoising-loop time ÷ the sum of its UNet session.Run times: the orchestration overhead.</param>
/// <param name="EngineMicrosecondsPerStep">Median per image of (loop − session.Run time) ÷ steps: the engine's own work per step.</param>
/// <param name="ModelCallsPerImage">UNet evaluations per image (two per guided step), the cost that does not depend on the machine.</param>
public sealed record BenchmarkRow(GenerationMode Mode, int BatchSize, int Steps, int Images, double MsPerImage, double ImagesPerSecond,
    double PeakWorkingSetMB, [property: JsonPropertyName("unetMsPerImage")] double UNetMsPerImage, double LoopOverRun, double EngineMicrosecondsPerStep,
    int ModelCallsPerImage);
