using HybridDiffusion.Analysis.Pictures;
using HybridDiffusion.Core.Output;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// The engine call behind Measure-SampleDiversity and `hybrid diversity`: groups the samples, computes each metric's
/// distance matrix, and summarises it (mean, spread, bootstrap interval, Vendi score, closest pair, gate, pictures);
/// with a reference set, each group's FID and KID against it; with a classifier, each group's Inception Score; per
/// prompt, each set's variance along the base set's principal directions. Each
/// model runs once per image, whatever the number of metrics that need its outputs.
/// </summary>
public static class DiversityAnalyzer
{
    /// <param name="engine">Runs the embedding model (when the Embedding metric is asked for) and hears messages when no observer is given.</param>
    /// <param name="samples">The images to measure, beside the settings that say how.</param>
    public static DiversityOutcome Measure(HybridEngine engine, DiversityRequest request, IReadOnlyList<DiversitySample> samples,
        IDiversityObserver? observer = null, CancellationToken cancellation = default)
    {
        DiversityChecks.BeforeReading(request);
        return MeasureChecked(engine, request, samples, observer, cancellation);
    }

    /// <summary><see cref="Measure"/> for a caller that has already run <see cref="DiversityChecks.BeforeReading"/> on the request.</summary>
    internal static DiversityOutcome MeasureChecked(HybridEngine engine, DiversityRequest request, IReadOnlyList<DiversitySample> samples,
        IDiversityObserver? observer, CancellationToken cancellation)
    {
        if (samples.Count == 0)
        {
            throw HybridDiffusionException.Argument(SettingId.Path, "No images to measure; pass PNG files or generated images.");
        }
        observer ??= new LogOnlyDiversityObserver(engine.Log);
        var groups = Group(request, samples, observer);
        var problems = new List<HybridDiffusionException>();
        foreach (var small in groups.Where(g => g.Samples.Count < 2))
        {
            // A problem of the images, not of a setting: the error names the group.
            problems.Add(new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                $"Group '{small.Name}' has {small.Samples.Count} image; diversity compares pairs, so it needs at least 2. " +
                $"Generate more seeds for it, or group by another property.", small.Name));
        }
        var measurable = groups.Where(g => g.Samples.Count >= 2).ToList();
        using var embedder = (request.Metrics.Contains(DiversityMetric.Embedding) || request.ReferencePath is not null || request.Directions is not null) && measurable.Count > 0
            ? ImageEmbedder.Open(engine, request.Embedding!, observer)
            : null;
        var reference = request.ReferencePath is string referencePath && embedder is not null
            ? ReferenceSet.Load(referencePath, embedder, observer, cancellation)
            : null;
        if (reference is not null && request.SaveReference is string savePath && observer.ShouldWriteFile(Path.GetFullPath(savePath)))
        {
            reference.Save(Path.GetFullPath(savePath), embedder!);
        }
        var distributions = new List<DistributionReport>();
        using var classifier = request.Inception is not null && measurable.Count > 0 ? ImageEmbedder.Open(engine, request.Inception, observer, SettingId.InceptionModel) : null;
        var inceptionScores = new List<InceptionScoreReport>();
        var metrics = request.Metrics.Distinct().Select(m => Create(m, embedder)).ToList();
        var pictureNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var reports = new List<DiversityReport>();
        var embedded = new List<(string Group, IReadOnlyList<DiversitySample> Samples, float[][] Features)>();
        int taskCount = measurable.Count * metrics.Count, taskIndex = 0;
        foreach (var group in measurable)
        {
            // The group's pixels, read once here (a file's are not kept between groups).
            var images = group.Samples.Select(s => s.Image).ToList();
            var originals = images.Select(UnitImage.From).ToList();
            WarnAboutMixedSizes(group, request.Size, observer);
            var resized = new Lazy<List<UnitImage>>(() =>
                originals.Select(u => ImageResampler.Resize(u, request.Size, request.Size, ResizeFilter.Bilinear)).ToList());
            var stem = PictureStem(group.Name, pictureNames);
            string? contactSheet = WriteContactSheet(request, group, images, stem, observer);
            foreach (var metric in metrics)
            {
                cancellation.ThrowIfCancellationRequested();
                var inputs = metric.Metric == DiversityMetric.Embedding ? originals : resized.Value;
                int index = taskIndex++;
                var measured = ProgressPump.Run(progress => IdenticalImages.Measure(metric, inputs, progress, cancellation),
                    fraction => observer.OnProgress(new DiversityProgress(group.Name, metric.Metric, index, taskCount, fraction)), cancellation);
                var report = Summarise(request, group, metric.Metric, measured) with { ContactSheetPath = contactSheet };
                reports.Add(report with { HeatmapPath = WriteHeatmap(request, report, measured.Matrix, stem, observer) });
            }
            if (reference is not null)
            {
                cancellation.ThrowIfCancellationRequested();
                distributions.Add(DistributionComparison.Measure(request, group.Name, embedder!.Features(originals, null, cancellation), reference, problems));
            }
            if (request.Directions is not null)
            {
                cancellation.ThrowIfCancellationRequested();
                embedded.Add((group.Name, group.Samples, embedder!.Features(originals, null, cancellation)));
            }
            if (classifier is not null)
            {
                cancellation.ThrowIfCancellationRequested();
                // At least ten images a split (a split of one image scores exactly 1), up to the customary ten splits.
                int splits = Math.Clamp(originals.Count / 10, 1, Distribution.InceptionScore.DefaultSplits);
                var score = Distribution.InceptionScore.FromLogits(classifier.Features(originals, null, cancellation), splits);
                inceptionScores.Add(new InceptionScoreReport(group.Name, originals.Count, score.Mean, score.StandardDeviation, score.Parts, score.PartSize));
            }
        }
        var directions = request.Directions is int topK
            ? DirectionsComparison.Measure(topK, embedded, request.PictureDirectory, name => PictureStem(name, pictureNames), observer, problems)
            : new List<DirectionsReport>();
        return new DiversityOutcome(Compare(request, reports, problems), problems)
        {
            Distributions = distributions, InceptionScores = inceptionScores, Directions = directions,
        };
    }

    private static DiversityReport Summarise(DiversityRequest request, SampleGroup group, DiversityMetric metric, MeasuredDistances measured)
    {
        var matrix = measured.Matrix;
        var statistics = PairwiseStatistics.Of(matrix);
        var (low, high) = BootstrapInterval.MeanPairwise(matrix, request.BootstrapResamples, request.BootstrapSeed, request.ConfidenceLevel);
        double vendi = measured.VendiScore();
        var failures = new List<string>();
        if (request.MinimumDistance is double minimumDistance && statistics.Mean < minimumDistance)
        {
            failures.Add($"Group '{group.Name}' ({metric}): mean pairwise distance {Format(statistics.Mean)} is below the minimum {Format(minimumDistance)}.");
        }
        if (request.MinimumVendi is double minimumVendi && vendi < minimumVendi)
        {
            failures.Add($"Group '{group.Name}' ({metric}): Vendi score {Format(vendi)} is below the minimum {Format(minimumVendi)}.");
        }
        return new DiversityReport
        {
            Group = group.Name,
            Metric = metric,
            Count = matrix.Count,
            Mean = statistics.Mean,
            StandardDeviation = statistics.StandardDeviation,
            ConfidenceLow = low,
            ConfidenceHigh = high,
            ConfidenceLevel = request.ConfidenceLevel,
            Vendi = vendi,
            ClosestPair = new ImagePair(group.Samples[statistics.ClosestI].Label, group.Samples[statistics.ClosestJ].Label, statistics.ClosestDistance),
            Labels = group.Samples.Select(s => s.Label).ToList(),
            Matrix = request.IncludeMatrix ? matrix : null,
            MinimumDistance = request.MinimumDistance,
            MinimumVendi = request.MinimumVendi,
            Failures = failures,
        };
    }

    private static IReadOnlyList<DiversityReport> Compare(DiversityRequest request, List<DiversityReport> reports, List<HybridDiffusionException> problems)
    {
        if (request.ReferenceGroup is not string reference || reports.Count == 0)
        {
            return reports;
        }
        var references = reports.Where(r => string.Equals(r.Group, reference, StringComparison.OrdinalIgnoreCase)).ToDictionary(r => r.Metric);
        if (references.Count == 0)
        {
            problems.Add(HybridDiffusionException.Argument(SettingId.ReferenceGroup,
                $"Reference group '{reference}' was not measured; the groups are: {string.Join(", ", reports.Select(r => $"'{r.Group}'").Distinct())}."));
            return reports;
        }
        return reports.Select(r => references.TryGetValue(r.Metric, out var baseline) && !ReferenceEquals(r, baseline)
            ? r with { Comparison = DiversityComparison.Between(r, baseline) }
            : r).ToList();
    }

    private static List<SampleGroup> Group(DiversityRequest request, IReadOnlyList<DiversitySample> samples, IDiversityObserver observer)
    {
        string missing = $"(no {request.GroupBy})";
        int without = samples.Count(s => s.GroupKey(request.GroupBy) is null);
        if (without > 0)
        {
            observer.Warning($"{without} image(s) have no '{request.GroupBy}' property; they are measured together as the group '{missing}'.");
        }
        return samples
            .GroupBy(s => s.GroupKey(request.GroupBy) ?? missing, StringComparer.Ordinal)
            .Select(g => new SampleGroup(g.Key, g.ToList()))
            .ToList();
    }

    private static void WarnAboutMixedSizes(SampleGroup group, int size, IDiversityObserver observer)
    {
        var sizes = group.Samples.GroupBy(s => (s.Width, s.Height)).OrderByDescending(g => g.Count()).ToList();
        if (sizes.Count > 1)
        {
            var listing = string.Join(", ", sizes.Select(g => $"{g.Key.Width}x{g.Key.Height}: {g.Count()} (e.g. {g.First().Label})"));
            observer.Warning($"Group '{group.Name}' mixes image sizes ({listing}); each is resized to {size}x{size} for the pixel metrics.");
        }
    }

    private static string? WriteContactSheet(DiversityRequest request, SampleGroup group, IReadOnlyList<RgbImage> images, string stem, IDiversityObserver observer)
    {
        if (request.PictureDirectory is null)
        {
            return null;
        }
        var path = Path.GetFullPath(Path.Combine(request.PictureDirectory, stem + "-contact.png"));
        if (!observer.ShouldWriteFile(path))
        {
            return null;
        }
        bool mixedModes = group.Samples.Select(s => s.GroupKey("Mode")).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1;
        var captions = group.Samples.Select(s => Caption(s, mixedModes)).ToList();
        var sheet = ContactSheet.Render($"{group.Name} ({group.Samples.Count} images)", images.Select((image, i) => (image, captions[i])).ToList());
        AtomicFile.WriteAllBytes(path, PngEncoder.Encode(sheet, new[]
        {
            new KeyValuePair<string, string>("Title", group.Name), new KeyValuePair<string, string>("Captions", string.Join("\n", captions)),
        }));
        return path;
    }

    private static string? WriteHeatmap(DiversityRequest request, DiversityReport report, DistanceMatrix matrix, string stem, IDiversityObserver observer)
    {
        if (request.PictureDirectory is null)
        {
            return null;
        }
        var path = Path.GetFullPath(Path.Combine(request.PictureDirectory, $"{stem}-{report.Metric.ToString().ToLowerInvariant()}-heatmap.png"));
        if (!observer.ShouldWriteFile(path))
        {
            return null;
        }
        var picture = Heatmap.Render($"{report.Group}: {report.Metric} mean {Format(report.Mean)}", matrix);
        AtomicFile.WriteAllBytes(path, PngEncoder.Encode(picture, new[] { new KeyValuePair<string, string>("Labels", string.Join("\n", report.Labels)) }));
        return path;
    }

    // The seed tells images of one group apart best, with the mode where the group mixes modes (the same seed then
    // appears once per mode); files without a seed show the end of their name.
    private static string Caption(DiversitySample sample, bool mixedModes) => sample.GroupKey("Seed") is string seed
        ? mixedModes ? $"{sample.GroupKey("Mode")?.ToLowerInvariant() ?? "?"} {seed}" : "seed " + seed
        : sample.Label.Length > 16 ? ".." + sample.Label[^14..] : sample.Label;

    private static string PictureStem(string group, HashSet<string> used)
    {
        var stem = OutputNaming.Slug(group);
        var unique = stem;
        for (int n = 2; !used.Add(unique); n++)
        {
            unique = $"{stem}-{n}";
        }
        return unique;
    }

    private static IDistanceMetric Create(DiversityMetric metric, ImageEmbedder? embedder) => metric switch
    {
        DiversityMetric.Rms => new RmsDistance(),
        DiversityMetric.Ssim => new StructuralSimilarity(multiScale: false),
        DiversityMetric.MsSsim => new StructuralSimilarity(multiScale: true),
        DiversityMetric.Embedding => new EmbeddingDistance(embedder!),
        _ => throw HybridDiffusionException.Argument(SettingId.Metric, $"Unknown metric {metric}; use Rms, Ssim, MsSsim or Embedding."),
    };

    private static string Format(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private sealed record SampleGroup(string Name, List<DiversitySample> Samples);
}
