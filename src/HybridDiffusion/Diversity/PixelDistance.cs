using System.Numerics.Tensors;
using HybridDiffusion.Imaging;

namespace HybridDiffusion.Diversity;

/// <summary>Model-free image distances on pixels scaled to [0, 1].</summary>
public static class PixelDistance
{
    /// <summary>Root-mean-square difference of two same-sized images' pixels, in [0, 1].</summary>
    public static double Rms(RgbImage a, RgbImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
        {
            throw new ArgumentException($"Images differ in size ({a.Width}x{a.Height} vs {b.Width}x{b.Height}).");
        }
        return Rms(ToUnit(a), ToUnit(b));
    }

    /// <summary>Mean RMS distance over all unordered pairs (sample diversity of one prompt).</summary>
    public static double MeanPairwiseRms(IReadOnlyList<RgbImage> images)
    {
        if (images.Count < 2)
        {
            throw new ArgumentException($"Pairwise distance needs at least two images; got {images.Count}.", nameof(images));
        }
        var vectors = images.Select(ToUnit).ToArray();
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < vectors.Length; i++)
        {
            for (int j = i + 1; j < vectors.Length; j++)
            {
                sum += Rms(vectors[i], vectors[j]);
                pairs++;
            }
        }
        return sum / pairs;
    }

    internal static float[] ToUnit(RgbImage image)
    {
        var values = new float[image.Pixels.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = image.Pixels[i];
        }
        TensorPrimitives.Multiply(values, 1f / 255f, values);
        return values;
    }

    private static double Rms(float[] a, float[] b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Images differ in size.");
        }
        return TensorPrimitives.Distance(a, b) / Math.Sqrt(a.Length);
    }
}
