using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HybridDiffusion.Analysis.Diversity.Distribution;

namespace HybridDiffusion.Benchmarks;

/// <summary>
/// FID the way a reference run meets it: a generated set of COUNT × DIMENSION features streamed into moments (one
/// block of rows held at a time, as embeddings arrive), then compared with saved reference statistics. One long
/// operation, so BenchmarkDotNet measures it once per iteration (`--filter '*Frechet*'`); `fid [COUNT] [DIMENSION]`
/// runs it once in a process of its own and prints each phase's time and the peak working set.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class FrechetBenchmarks
{
    private const int RowsPerBlock = 256;
    private FeatureStatistics _reference = null!;

    [Params(50_000)]
    public int Count { get; set; }

    [Params(2048)]
    public int Dimension { get; set; }

    [GlobalSetup]
    public void Setup() => _reference = Stream(Count, Dimension, seed: 1);

    [Benchmark]
    public double StreamAndCompare() => FrechetDistance.Between(Stream(Count, Dimension, seed: 2), _reference);

    /// <summary>Runs the workload once, printing the time of each phase and the process's peak working set.</summary>
    public static void RunOnce(int count, int dimension)
    {
        var clock = Stopwatch.StartNew();
        var reference = Stream(count, dimension, seed: 1);
        var referenceTime = clock.Elapsed;
        clock.Restart();
        var generated = Stream(count, dimension, seed: 2);
        var streamTime = clock.Elapsed;
        clock.Restart();
        double fid = FrechetDistance.Between(generated, reference);
        var fidTime = clock.Elapsed;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"{count} × {dimension} features on {Environment.ProcessorCount} cores: FID {fid:F4}");
        Console.WriteLine($"  stream one set into moments: {streamTime.TotalSeconds:F1} s (reference set: {referenceTime.TotalSeconds:F1} s)");
        Console.WriteLine($"  FID from the two sets' moments: {fidTime.TotalSeconds:F1} s");
        Console.WriteLine($"  peak working set: {process.PeakWorkingSet64 / (1 << 20)} MiB (the features of one set whole would be {(long)count * dimension * 4 / (1 << 20)} MiB)");
    }

    // Features as an embedding model's batches bring them: seeded uniform values in [batch, D] blocks, never the whole set.
    private static FeatureStatistics Stream(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var moments = new FeatureMoments(dimension, RowsPerBlock);
        var batch = new float[RowsPerBlock * dimension];
        for (int done = 0; done < count; done += RowsPerBlock)
        {
            int rows = Math.Min(RowsPerBlock, count - done);
            var span = batch.AsSpan(0, rows * dimension);
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = random.NextSingle();
            }
            moments.AddRows(span);
        }
        return moments.ToStatistics(seed == 1 ? "reference" : "generated");
    }
}
