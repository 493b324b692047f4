namespace HybridDiffusion.Core.Imaging;

/// <summary>
/// Separable resampling of <see cref="UnitImage"/>s: rows first, then columns. Each output pixel is a normalised,
/// kernel-weighted sum of the input pixels whose centres fall within the kernel's support, scaled by the shrink factor.
/// </summary>
public static class ImageResampler
{
    public static UnitImage Resize(UnitImage image, int width, int height, ResizeFilter filter)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Target size {width}x{height} must be positive.");
        }
        if (width == image.Width && height == image.Height)
        {
            return image;
        }
        var horizontal = Weights(image.Width, width, filter);
        var vertical = Weights(image.Height, height, filter);

        var rows = new float[image.Height * width * 3];
        for (int y = 0; y < image.Height; y++)
        {
            int source = y * image.Width * 3, target = y * width * 3;
            for (int x = 0; x < width; x++)
            {
                var (first, weights) = horizontal[x];
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < weights.Length; k++)
                {
                    int p = source + (first + k) * 3;
                    r += weights[k] * image.Values[p];
                    g += weights[k] * image.Values[p + 1];
                    b += weights[k] * image.Values[p + 2];
                }
                rows[target + x * 3] = r;
                rows[target + x * 3 + 1] = g;
                rows[target + x * 3 + 2] = b;
            }
        }

        var output = new float[width * height * 3];
        int stride = width * 3;
        for (int y = 0; y < height; y++)
        {
            var (first, weights) = vertical[y];
            var target = output.AsSpan(y * stride, stride);
            for (int k = 0; k < weights.Length; k++)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(rows.AsSpan((first + k) * stride, stride), weights[k], target, target);
            }
        }
        // Cubic lobes overshoot; keep values a valid image.
        System.Numerics.Tensors.TensorPrimitives.Max(output, 0f, output);
        System.Numerics.Tensors.TensorPrimitives.Min(output, 1f, output);
        return new UnitImage(width, height, output);
    }

    /// <summary>Scales the shorter side to <paramref name="shortSide"/>, keeping the aspect ratio.</summary>
    public static UnitImage ResizeShortSide(UnitImage image, int shortSide, ResizeFilter filter)
    {
        double scale = shortSide / (double)Math.Min(image.Width, image.Height);
        int width = Math.Max(1, (int)Math.Round(image.Width * scale));
        int height = Math.Max(1, (int)Math.Round(image.Height * scale));
        return Resize(image, width, height, filter);
    }

    /// <summary>The centred <paramref name="width"/>×<paramref name="height"/> window (the image must be at least that large).</summary>
    public static UnitImage CenterCrop(UnitImage image, int width, int height)
    {
        if (width > image.Width || height > image.Height)
        {
            throw new ArgumentException($"Cannot crop {width}x{height} from a {image.Width}x{image.Height} image.");
        }
        int left = (image.Width - width) / 2, top = (image.Height - height) / 2;
        var values = new float[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            image.Values.AsSpan(((top + y) * image.Width + left) * 3, width * 3).CopyTo(values.AsSpan(y * width * 3));
        }
        return new UnitImage(width, height, values);
    }

    private static (int First, float[] Weights)[] Weights(int inSize, int outSize, ResizeFilter filter)
    {
        double support = filter == ResizeFilter.Bicubic ? 2 : 1;
        double scale = inSize / (double)outSize;
        double widen = Math.Max(1, scale);
        var result = new (int, float[])[outSize];
        for (int o = 0; o < outSize; o++)
        {
            double centre = (o + 0.5) * scale;
            int first = Math.Max(0, (int)Math.Floor(centre - support * widen));
            int last = Math.Min(inSize - 1, (int)Math.Ceiling(centre + support * widen));
            var weights = new double[last - first + 1];
            double sum = 0;
            for (int i = first; i <= last; i++)
            {
                double w = Kernel(filter, (i + 0.5 - centre) / widen);
                weights[i - first] = w;
                sum += w;
            }
            result[o] = (first, weights.Select(w => (float)(w / sum)).ToArray());
        }
        return result;
    }

    private static double Kernel(ResizeFilter filter, double x)
    {
        x = Math.Abs(x);
        if (filter == ResizeFilter.Bilinear)
        {
            return x < 1 ? 1 - x : 0;
        }
        const double a = -0.5;
        if (x < 1)
        {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        return x < 2 ? (((x - 5) * x + 8) * x - 4) * a : 0;
    }
}
