using System.Diagnostics;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Benchmarks;

/// <summary>
/// `study-records ROOT PROMPTS SEEDS` writes a study's results folder of PROMPTS × 1 setting × SEEDS records, each with
/// a 768-float embedding vector (what a DreamSim study records) and an 8×8 image; `study-merge ROOT`, in a process of its
/// own, merges it with the embedding metric and prints the merge's time and peak working set. Run it at two sizes: the
/// peak follows the largest prompt × setting group (SEEDS), not the number of records.
/// </summary>
internal static class StudyMergeBench
{
    private const int Dimensions = 768;

    public static void WriteRecords(string root, int prompts, int seeds)
    {
        var results = Path.Combine(root, "results");
        var embeddingModel = Path.Combine(root, "embedding.onnx");
        Directory.CreateDirectory(root);
        File.WriteAllBytes(embeddingModel, new byte[] { 1 });
        var study = new StudyDefinition
        {
            Name = "merge-bench",
            Prompts = Enumerable.Range(0, prompts).Select(p => $"prompt {p}").ToList(),
            SeedCount = seeds,
            Settings = new[] { new StudySetting("base", "base", GenerationMode.Base, new GenerationSettings(), Array.Empty<KeyValuePair<string, double>>(),
                Array.Empty<HybridDiffusion.Contracts.Sliders.SliderSpec>()) },
            Reference = "base",
            Measure = new StudyMeasure
            {
                Metrics = new[] { DiversityMetric.Embedding },
                Embedding = new EmbeddingOptions { ModelPath = embeddingModel },
            },
        };
        var hash = StudyHash.Compute(study);
        new StudyManifest(StudyManifest.CurrentFormat, hash, study).WriteOrCheck(results);
        var store = new UnitRecordStore(results, study, hash);
        var png = PngEncoder.Encode(new RgbImage(8, 8, new byte[8 * 8 * 3]), Array.Empty<KeyValuePair<string, string>>());
        var random = new Random(0);
        for (int p = 0; p < prompts; p++)
        {
            for (long seed = 0; seed < seeds; seed++)
            {
                var vector = new float[Dimensions];
                for (int i = 0; i < Dimensions; i++)
                {
                    vector[i] = (float)(random.NextDouble() - 0.5);
                }
                float norm = MathF.Sqrt(vector.Sum(v => v * v));
                store.Write(new UnitRecord
                {
                    Study = hash, PromptIndex = p, Prompt = study.Prompts[p], Setting = "base", Seed = seed,
                    Image = store.RelativeImagePath(p, 0, seed), ImageSha256 = ContentHash.OfBytes(png), Provider = "cpu", BatchSize = 4,
                    ThreadCount = 1, Plan = "bench", Embedding = vector.Select(v => v / norm).ToArray(), Timings = new UnitTimings(1, 1, 1, 0),
                }, png);
            }
        }
        Console.WriteLine($"Wrote {prompts * (long)seeds} records ({prompts} prompts × {seeds} seeds, {Dimensions}-float embeddings).");
    }

    public static void Merge(string root)
    {
        var results = Path.Combine(root, "results");
        var watch = Stopwatch.StartNew();
        var outcome = StudyMerger.Merge(new StudyMergeRequest { Directories = new[] { results }, ReportDirectory = Path.Combine(root, "report") });
        watch.Stop();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"Merged {outcome.Summary.Rows.Count} rows ({outcome.Summary.Prompts} prompts) in {watch.Elapsed.TotalSeconds:F1} s; " +
            $"peak working set {process.PeakWorkingSet64 / (1 << 20)} MB.");
    }
}
