namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// SSIM and MS-SSIM (Wang et al.) on [0, 1] images, per colour channel then averaged: K1 0.01, K2 0.03, an 11-tap
/// Gaussian window with σ 1.5 over valid positions only. MS-SSIM multiplies the contrast-structure terms of four scales
/// and the full SSIM of the fifth (2×2 averaging between scales), weighted 0.0448, 0.2856, 0.3001, 0.2363, 0.1333; at
/// scales narrower than 11 pixels the window shrinks to the largest odd size that fits, and negative terms count as 0.
/// </summary>
internal sealed class StructuralSimilarity : IDistanceMetric
{
    public const int MinimumSsimSize = 11;
    public const int MinimumMsSsimSize = 64;
    private const double C1 = 0.01 * 0.01;
    private const double C2 = 0.03 * 0.03;
    private static readonly double[] s_scaleWeights = { 0.0448, 0.2856, 0.3001, 0.2363, 0.1333 };

    public StructuralSimilarity(bool multiScale) => MultiScale = multiScale;

    public bool MultiScale { get; }

    public DiversityMetric Metric => MultiScale ? DiversityMetric.MsSsim : DiversityMetric.Ssim;

    private int Scales => MultiScale ? s_scaleWeights.Length : 1;

    /// <summary>SSIM (or MS-SSIM) of two same-sized images; 1 for identical images.</summary>
    public double Similarity(UnitImage a, UnitImage b)
    {
        PixelDistance.RequireSameSize(a, b);
        CheckSize(a);
        return Similarity(Prepare(a), Prepare(b), new Scratch(a.Width, a.Height));
    }

    public MeasuredDistances Compute(IReadOnlyList<UnitImage> images, IProgress<double>? progress, CancellationToken cancellation)
    {
        if (images.Count == 0)
        {
            return new MeasuredDistances(new DistanceMatrix(0));
        }
        for (int i = 1; i < images.Count; i++)
        {
            PixelDistance.RequireSameSize(images[0], images[i]);
        }
        // Rounding can put a near-identical pair's similarity a hair above 1; a distance is never negative.
        CheckSize(images[0]);
        var prepared = new Prepared[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { CancellationToken = cancellation }, i => prepared[i] = Prepare(images[i]));
        int width = images[0].Width, height = images[0].Height;
        return new MeasuredDistances(PairScheduler.Run(images.Count, () => new Scratch(width, height),
            (i, j, scratch) => Math.Max(0, 1 - Similarity(prepared[i], prepared[j], scratch)), progress, cancellation));
    }

    private void CheckSize(UnitImage image)
    {
        int minimum = MultiScale ? MinimumMsSsimSize : MinimumSsimSize;
        if (Math.Min(image.Width, image.Height) < minimum)
        {
            throw HybridDiffusionException.Argument(SettingId.Size,
                $"{Metric} needs images at least {minimum} pixels on each side; got {image.Width}x{image.Height}. Measure at a larger size.");
        }
    }

    private double Similarity(Prepared a, Prepared b, Scratch scratch)
    {
        double total = 0;
        for (int c = 0; c < 3; c++)
        {
            double value = 1;
            for (int s = 0; s < Scales; s++)
            {
                var (luminance, contrast) = Compare(a.Levels[s][c], b.Levels[s][c], scratch);
                bool last = s == Scales - 1;
                double term = Math.Max(0, last ? luminance : contrast);
                value *= MultiScale ? Math.Pow(term, s_scaleWeights[s]) : term;
            }
            total += value;
        }
        return total / 3;
    }

    /// <summary>Mean SSIM (l·cs) and mean contrast-structure (cs) of one channel at one scale.</summary>
    private static (double Ssim, double ContrastStructure) Compare(Level a, Level b, Scratch scratch)
    {
        var product = scratch.Product.AsSpan(0, a.Plane.Length);
        TensorPrimitives.Multiply(a.Plane, b.Plane, product);
        var cross = scratch.Filtered.AsSpan(0, a.Mean.Length);
        a.Window.Filter(product, a.Width, a.Height, scratch.Rows, cross);
        double ssim = 0, cs = 0;
        for (int i = 0; i < cross.Length; i++)
        {
            double mx = a.Mean[i], my = b.Mean[i];
            double vx = a.Square[i] - mx * mx, vy = b.Square[i] - my * my, cov = cross[i] - mx * my;
            double contrast = (2 * cov + C2) / (vx + vy + C2);
            ssim += (2 * mx * my + C1) / (mx * mx + my * my + C1) * contrast;
            cs += contrast;
        }
        return (ssim / cross.Length, cs / cross.Length);
    }

    private Prepared Prepare(UnitImage image)
    {
        var levels = new Level[Scales][];
        var planes = Enumerable.Range(0, 3).Select(image.Plane).ToArray();
        int width = image.Width, height = image.Height;
        for (int s = 0; s < Scales; s++)
        {
            if (s > 0)
            {
                planes = planes.Select(p => Downsample(p, width, height)).ToArray();
                width /= 2;
                height /= 2;
            }
            var window = GaussianWindow.Fitting(width, height);
            levels[s] = planes.Select(p => Level.Create(p, width, height, window)).ToArray();
        }
        return new Prepared(levels);
    }

    private static float[] Downsample(float[] plane, int width, int height)
    {
        int w = width / 2, h = height / 2;
        var result = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int p = 2 * y * width + 2 * x;
                result[y * w + x] = 0.25f * (plane[p] + plane[p + 1] + plane[p + width] + plane[p + width + 1]);
            }
        }
        return result;
    }

    private sealed record Prepared(Level[][] Levels);

    /// <summary>One channel at one scale with its windowed mean and mean square, computed once per image.</summary>
    private sealed record Level(float[] Plane, int Width, int Height, GaussianWindow Window, float[] Mean, float[] Square)
    {
        public static Level Create(float[] plane, int width, int height, GaussianWindow window)
        {
            var rows = new float[height * window.OutputSize(width)];
            var mean = new float[window.OutputSize(width) * window.OutputSize(height)];
            var square = new float[mean.Length];
            window.Filter(plane, width, height, rows, mean);
            var squared = new float[plane.Length];
            TensorPrimitives.Multiply(plane, plane, squared);
            window.Filter(squared, width, height, rows, square);
            return new Level(plane, width, height, window, mean, square);
        }
    }

    /// <summary>Per-thread buffers sized for the largest scale.</summary>
    private sealed class Scratch
    {
        public Scratch(int width, int height)
        {
            Product = new float[width * height];
            Rows = new float[width * height];
            Filtered = new float[width * height];
        }

        public float[] Product { get; }
        public float[] Rows { get; }
        public float[] Filtered { get; }
    }
}
