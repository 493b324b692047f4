using System.Diagnostics;
using System.Text.Json;
using HybridDiffusion.Analysis.Benchmarks;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Tests.Analysis.Benchmarks;

/// <summary>The benchmark's figures are computed from what ran, and the per-step path allocates nothing.</summary>
public sealed class BenchmarkTests
{
    [Fact]
    public void TheBenchTableHasEveryModeAndBatchWithFiguresFromTheRun()
    {
        var template = DemoPair.Request("a photo of a red circle", GenerationMode.Hybrid, new long[] { 0 });
        var result = PipelineBenchmark.Run(TestEngine.Shared, template, PipelineBenchmark.Modes, new[] { 1, 4 }, images: 4, rounds: 1);

        Assert.Equal(PipelineBenchmark.Modes.SelectMany(m => new[] { (m, 1), (m, 4) }), result.Rows.Select(r => (r.Mode, r.BatchSize)));
        Assert.Equal(new[] { 50, 50, 4, 4, 4, 4, 3, 3 }, result.Rows.Select(r => r.Steps));
        Assert.All(result.Rows, r =>
        {
            Assert.True(r.Images >= 4, $"{r.Mode} at {r.BatchSize}: {r.Images} images");
            Assert.Equal(1000 / r.MsPerImage, r.ImagesPerSecond, 6);
            Assert.InRange(r.UNetMsPerImage, 0.001, r.MsPerImage);
            Assert.True(r.LoopOverRun >= 1, $"the loop contains its UNet runs: {r.LoopOverRun}");
            Assert.True(r.PeakWorkingSetMB > 10, $"{r.PeakWorkingSetMB} MB");
        });
        double ratio = result.Rows.Single(r => r.Mode == GenerationMode.Hybrid && r.BatchSize == 1).MsPerImage
            / result.Rows.Single(r => r.Mode == GenerationMode.Distilled && r.BatchSize == 1).MsPerImage;
        Assert.Equal(ratio, result.HybridOverDistilled!.Value, 9);
    }

    [Fact]
    public void OneModeBenchHasNoRatioAndStillPrintsJson()
    {
        var json = RunBenchOnDemoPair("--mode", "distilled", "--batch", "1", "--images", "2", "--rounds", "1", "--json");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("hybridOverDistilled").ValueKind);
        Assert.Equal("distilled", json.GetProperty("rows")[0].GetProperty("mode").GetString());
        Assert.True(json.GetProperty("rows")[0].GetProperty("unetMsPerImage").GetDouble() > 0);   // as new-image's unetMs
        // Extra steps cannot free memory: the figure is never negative, and its noise is measured beside it.
        Assert.True(json.GetProperty("allocatedBytesPerStep").GetDouble() >= 0, json.ToString());
        Assert.True(json.GetProperty("allocationNoiseBytesPerStep").GetDouble() >= 0, json.ToString());
    }

    [Fact]
    public void BenchDiversityJsonHasCamelCaseKeys()
    {
        var json = RunBench(throughDotnetHost: true, "diversity", "--images", "4", "--size", "16", "--json");
        Assert.Equal(6, json.GetProperty("pairs").GetInt64());
        Assert.Equal("rms", json.GetProperty("metric").GetString());
    }

    // A collapsed group (few distinct pictures, many copies) and a model-free metric without a SIMD comparison: each
    // step is timed, the score is the distinct pictures', and the JSON holds no NaN.
    [Theory]
    [InlineData("rms")]
    [InlineData("ssim")]
    public void BenchDiversityTimesEachStepOfACollapsedGroup(string metric)
    {
        var json = RunBench(throughDotnetHost: true, "diversity", "--images", "60", "--distinct", "2", "--size", "32", "--metric", metric, "--json");
        Assert.Equal(2, json.GetProperty("distinct").GetInt32());
        Assert.InRange(json.GetProperty("vendi").GetDouble(), 1.0001, 2);
        Assert.All(new[] { "seconds", "vendiSeconds", "bootstrapSeconds", "peakWorkingSetMB" }, key => Assert.True(json.GetProperty(key).GetDouble() >= 0, key));
        Assert.Equal(metric == "rms", json.GetProperty("simdOverScalar").ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public void ManagedAllocationPerImageDoesNotGrowWithTheNumberOfSteps()
    {
        double PerImage(int steps)
        {
            var request = DemoPair.Request("a photo", GenerationMode.Distilled, Enumerable.Range(0, 22).Select(i => (long)i),
                new GenerationSettings { Steps = steps }) with { BatchSize = 1 };
            using var run = TestEngine.Shared.Generate(request).GetEnumerator();
            run.MoveNext();
            run.MoveNext();
            long before = GC.GetAllocatedBytesForCurrentThread();
            int images = 0;
            while (run.MoveNext())
            {
                images++;
            }
            return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)images;
        }
        double few = PerImage(4), many = PerImage(40);
        // One small object per step (an enumerator, a boxed value) would add 24 bytes or more per step.
        Assert.True((many - few) / 36 < 8, $"{few:F0} bytes per 4-step image, {many:F0} per 40-step image");
    }

    [Fact]
    public void ThePeakWorkingSetCanBeReadAndOnLinuxRestarted()
    {
        Assert.True(ProcessMemory.PeakWorkingSetBytes() >= Environment.WorkingSet / 2);
        Assert.Equal(OperatingSystem.IsLinux(), ProcessMemory.TryResetPeak());
        var ballast = new byte[64 << 20];
        Array.Fill(ballast, (byte)1);
        long afterBallast = ProcessMemory.PeakWorkingSetBytes();
        GC.KeepAlive(ballast);
        Assert.True(afterBallast >= 64L << 20);
    }

    // Started as `dotnet hybrid.dll` and as the hybrid executable (as `dotnet run` and the installed tool start it).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BenchMemoryRunsEachModeInAFreshProcessAndComparesTheirPeaks(bool throughDotnetHost)
    {
        var json = RunBenchOnDemoPair(throughDotnetHost, "memory", "--images", "2", "--json");
        foreach (var (name, mode) in new[] { ("concurrent", "concurrent"), ("sequential", "sequential") })
        {
            var run = json.GetProperty(name);
            Assert.Equal(mode, run.GetProperty("mode").GetString());
            Assert.Equal(2, run.GetProperty("images").GetInt32());
            Assert.True(run.GetProperty("peakWorkingSetMB").GetDouble() > 10);
        }
        Assert.Equal(json.GetProperty("sequential").GetProperty("peakWorkingSetMB").GetDouble() / json.GetProperty("concurrent").GetProperty("peakWorkingSetMB").GetDouble(),
            json.GetProperty("sequentialOverConcurrent").GetDouble(), 9);
    }

    private static JsonElement RunBenchOnDemoPair(params string[] args) => RunBenchOnDemoPair(throughDotnetHost: true, args);

    /// <summary>Runs `hybrid bench ARGS` on the test run's demo pair in a process of its own; asserts exit 0, returns its JSON.</summary>
    private static JsonElement RunBenchOnDemoPair(bool throughDotnetHost, params string[] args) =>
        RunBench(throughDotnetHost, args.Concat(new[] { "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel }).ToArray());

    /// <summary>Runs `hybrid bench ARGS` in a process of its own; asserts exit 0, returns its JSON.</summary>
    private static JsonElement RunBench(bool throughDotnetHost, params string[] args)
    {
        var executable = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "hybrid.exe" : "hybrid");
        var start = new ProcessStartInfo(throughDotnetHost ? "dotnet" : executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (throughDotnetHost ? new[] { Path.Combine(AppContext.BaseDirectory, "hybrid.dll") } : Array.Empty<string>()).Append("bench").Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
