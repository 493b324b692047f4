namespace HybridDiffusion.Core.Imaging;

/// <summary>An RGB image as floats in [0, 1], rows top to bottom, channels interleaved: the form metrics compute on
/// (the analysis layer's distances, embeddings and pictures take it).</summary>
public sealed class UnitImage
{
    public UnitImage(int width, int height, float[] values)
    {
        if (values.Length != width * height * 3)
        {
            throw new ArgumentException($"A {width}x{height} RGB image needs {width * height * 3} values; got {values.Length}.", nameof(values));
        }
        Width = width;
        Height = height;
        Values = values;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Interleaved R, G, B values in [0, 1].</summary>
    public float[] Values { get; }

    public static UnitImage From(RgbImage image)
    {
        var pixels = image.GetPixels();
        var values = new float[pixels.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertChecked<byte, float>(pixels, values);
        System.Numerics.Tensors.TensorPrimitives.Multiply(values, 1f / 255f, values);
        return new UnitImage(image.Width, image.Height, values);
    }

    /// <summary>Rounds back to 8-bit RGB (for thumbnails and pictures).</summary>
    public RgbImage ToRgb()
    {
        var pixels = new byte[Values.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)MathF.Round(Math.Clamp(Values[i], 0f, 1f) * 255f, MidpointRounding.ToEven);
        }
        return new RgbImage(Width, Height, pixels);
    }

    /// <summary>One channel as a contiguous plane (0 = R, 1 = G, 2 = B).</summary>
    public float[] Plane(int channel)
    {
        var plane = new float[Width * Height];
        for (int i = 0; i < plane.Length; i++)
        {
            plane[i] = Values[i * 3 + channel];
        }
        return plane;
    }
}
