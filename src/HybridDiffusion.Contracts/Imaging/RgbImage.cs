namespace HybridDiffusion.Contracts.Imaging;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size {width}x{height} must be positive.");
        }
        if (pixels.Length != width * height * 3)
        {
            throw new ArgumentException($"A {width}x{height} RGB image needs {width * height * 3} bytes; got {pixels.Length}.", nameof(pixels));
        }
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// The pixel bytes, for the engine. Not a public property on purpose: serializers that walk public properties
    /// (PowerShell's ConvertTo-Json, Export-Clixml) would otherwise write every pixel of every image.
    /// </summary>
    internal byte[] Pixels { get; }

    /// <summary>The pixel bytes (R, G, B per pixel, rows top to bottom); the array itself, not a copy.</summary>
    public byte[] GetPixels() => Pixels;

    /// <summary>Converts planar [3,H,W] values in [−1, 1] (a VAE decoder's output) to 8-bit RGB.</summary>
    public static RgbImage FromPlanarSigned(ReadOnlySpan<float> planar, int width, int height)
    {
        int plane = width * height;
        var pixels = new byte[plane * 3];
        for (int c = 0; c < 3; c++)
        {
            var channel = planar.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                // diffusers: (x / 2 + 0.5).clamp(0, 1) * 255, rounded.
                float v = Math.Clamp(channel[i] * 0.5f + 0.5f, 0f, 1f);
                pixels[i * 3 + c] = (byte)MathF.Round(v * 255f, MidpointRounding.ToEven);
            }
        }
        return new RgbImage(width, height, pixels);
    }
}
