namespace HybridDiffusion.Analysis.Diversity;

/// <summary>A normalised 1-D Gaussian (σ 1.5, up to 11 taps) applied separably over valid positions.</summary>
internal sealed class GaussianWindow
{
    private const int MaxTaps = 11;
    private const double Sigma = 1.5;
    private readonly float[] _taps;

    private GaussianWindow(int size)
    {
        var taps = Enumerable.Range(0, size).Select(i => Math.Exp(-Math.Pow(i - (size - 1) / 2.0, 2) / (2 * Sigma * Sigma))).ToArray();
        double sum = taps.Sum();
        _taps = taps.Select(t => (float)(t / sum)).ToArray();
    }

    public int Size => _taps.Length;

    /// <summary>The 11-tap window, or the largest odd window that fits a small plane.</summary>
    public static GaussianWindow Fitting(int width, int height)
    {
        int size = Math.Min(MaxTaps, Math.Min(width, height));
        return new GaussianWindow(size % 2 == 0 ? size - 1 : size);
    }

    public int OutputSize(int inputSize) => inputSize - Size + 1;

    /// <summary>Filters rows into <paramref name="rows"/> (height × outWidth), then columns into <paramref name="output"/>.</summary>
    public void Filter(ReadOnlySpan<float> plane, int width, int height, Span<float> rows, Span<float> output)
    {
        int outWidth = OutputSize(width), outHeight = OutputSize(height);
        rows = rows[..(height * outWidth)];
        output = output[..(outWidth * outHeight)];
        rows.Clear();
        output.Clear();
        for (int y = 0; y < height; y++)
        {
            var target = rows.Slice(y * outWidth, outWidth);
            var source = plane.Slice(y * width, width);
            for (int k = 0; k < _taps.Length; k++)
            {
                TensorPrimitives.MultiplyAdd(source.Slice(k, outWidth), _taps[k], target, target);
            }
        }
        for (int y = 0; y < outHeight; y++)
        {
            var target = output.Slice(y * outWidth, outWidth);
            for (int k = 0; k < _taps.Length; k++)
            {
                TensorPrimitives.MultiplyAdd(rows.Slice((y + k) * outWidth, outWidth), _taps[k], target, target);
            }
        }
    }
}
