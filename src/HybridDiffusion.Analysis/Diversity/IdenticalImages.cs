namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Measures a group pair by pair only among its distinct pictures: images with equal pixels are measured once and
/// their distances copied (0 between copies). A collapsed model's 100 or 5,000 images are mostly copies of a few
/// pictures, so its distances cost O(k²) for k distinct pictures instead of O(n²); a varied set costs one hash per image.
/// </summary>
internal static class IdenticalImages
{
    public static MeasuredDistances Measure(IDistanceMetric metric, IReadOnlyList<UnitImage> images, IProgress<double>? progress,
        CancellationToken cancellation)
    {
        var (representatives, indexOf) = EqualItems.Group(images.Count, i => Hash(images[i]), (r, i) => SamePixels(images[r], images[i]));
        var distinct = representatives.Select(r => images[r]).ToList();
        var measured = metric.Compute(distinct, progress, cancellation);
        if (distinct.Count == images.Count)
        {
            return measured;
        }
        var matrix = new DistanceMatrix(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (int j = i + 1; j < images.Count; j++)
            {
                if (indexOf[i] != indexOf[j])
                {
                    matrix.Set(i, j, measured.Matrix[indexOf[i], indexOf[j]]);
                }
            }
        }
        return new MeasuredDistances(matrix, measured.UnitEmbeddings is { } embeddings ? indexOf.Select(k => embeddings[k]).ToList() : null);
    }

    private static bool SamePixels(UnitImage a, UnitImage b) =>
        a.Width == b.Width && a.Height == b.Height && a.Values.AsSpan().SequenceEqual(b.Values);

    private static int Hash(UnitImage image)
    {
        var hash = new HashCode();
        hash.Add(image.Width);
        hash.Add(image.Height);
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(image.Values.AsSpan()));
        return hash.ToHashCode();
    }
}
