using HybridDiffusion.Analysis.Diversity;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The diversity of one prompt × setting group from its records, with the diversity layer's own statistics (mean
/// pairwise distance, bootstrap interval, Vendi score): embedding distances from the recorded vectors, the pixel
/// metrics from the recorded images (read back, checked against their hashes, resized to the study's size).
/// </summary>
internal static class StudyGroupMeasure
{
    public const double ConfidenceLevel = 0.95;

    /// <summary>One row per metric; none when the group has fewer than two units (diversity compares pairs).</summary>
    public static IEnumerable<(DiversityMetric Metric, int Count, PairwiseStatistics Statistics, double Low, double High, double Vendi)> Measure(
        StudyMeasure measure, IReadOnlyList<UnitRecord> records, Lazy<IReadOnlyList<RgbImage>> images, CancellationToken cancellation)
    {
        if (records.Count < 2)
        {
            yield break;
        }
        var resized = new Lazy<List<UnitImage>>(() => images.Value
            .Select(i => ImageResampler.Resize(UnitImage.From(i), measure.Size, measure.Size, ResizeFilter.Bilinear)).ToList());
        foreach (var metric in measure.Metrics)
        {
            cancellation.ThrowIfCancellationRequested();
            var measured = metric switch
            {
                DiversityMetric.Embedding => EmbeddingDistances(records, cancellation),
                DiversityMetric.Rms => IdenticalImages.Measure(new RmsDistance(), resized.Value, null, cancellation),
                DiversityMetric.Ssim => IdenticalImages.Measure(new StructuralSimilarity(multiScale: false), resized.Value, null, cancellation),
                _ => IdenticalImages.Measure(new StructuralSimilarity(multiScale: true), resized.Value, null, cancellation),
            };
            var matrix = measured.Matrix;
            var (low, high) = BootstrapInterval.MeanPairwise(matrix, measure.BootstrapResamples, measure.BootstrapSeed, ConfidenceLevel);
            yield return (metric, matrix.Count, PairwiseStatistics.Of(matrix), low, high, measured.VendiScore());
        }
    }

    /// <summary>The group's images in record order, each checked against its recorded hash.</summary>
    public static IReadOnlyList<RgbImage> ReadImages(IReadOnlyList<UnitRecord> records) => records.Select(record =>
    {
        var bytes = File.ReadAllBytes(record.Image);
        if (ContentHash.OfBytes(bytes) != record.ImageSha256)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidImage,
                $"'{record.Image}' differs from the image its record describes (hash); run the study's shard again to make it anew.", record.Image);
        }
        return PngDecoder.Decode(bytes, record.Image).Image;
    }).ToList();

    private static MeasuredDistances EmbeddingDistances(IReadOnlyList<UnitRecord> records, CancellationToken cancellation)
    {
        var vectors = records.Select(r => r.Embedding ?? throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
            $"The record of '{r.Image}' holds no embedding; the study measures the embedding metric, so its run records one.", r.Image)).ToList();
        return EmbeddingDistance.Between(vectors, cancellation);
    }
}
