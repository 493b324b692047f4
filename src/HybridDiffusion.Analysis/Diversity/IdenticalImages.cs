using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Core.Imaging;

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
        var (distinct, indexOf) = Distinct(images);
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

    /// <summary>The distinct pictures in order of first appearance, and for each image the index of its picture.</summary>
    private static (List<UnitImage> Distinct, int[] IndexOf) Distinct(IReadOnlyList<UnitImage> images)
    {
        var distinct = new List<UnitImage>();
        var byHash = new Dictionary<int, List<int>>();
        var indexOf = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i];
            int hash = HashCode.Combine(image.Width, image.Height, Hash(image.Values));
            if (!byHash.TryGetValue(hash, out var candidates))
            {
                byHash[hash] = candidates = new List<int>();
            }
            int found = candidates.FindIndex(k => SamePixels(distinct[k], image));
            if (found < 0)
            {
                candidates.Add(distinct.Count);
                indexOf[i] = distinct.Count;
                distinct.Add(image);
            }
            else
            {
                indexOf[i] = candidates[found];
            }
        }
        return (distinct, indexOf);
    }

    private static bool SamePixels(UnitImage a, UnitImage b) =>
        a.Width == b.Width && a.Height == b.Height && a.Values.AsSpan().SequenceEqual(b.Values);

    private static int Hash(float[] values)
    {
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return hash.ToHashCode();
    }
}
