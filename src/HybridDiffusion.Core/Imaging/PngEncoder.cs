using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridDiffusion.Core.Imaging;

/// <summary>
/// Writes 8-bit RGB PNG files through ImageSharp with text metadata (tEXt for short Latin-1 values, zTXt or iTXt
/// otherwise, as ImageSharp chooses). Output is deterministic: the same image and metadata give the same bytes.
/// </summary>
public static class PngEncoder
{

    public static byte[] Encode(RgbImage image, IEnumerable<KeyValuePair<string, string>>? text = null)
    {
        using var picture = Image.LoadPixelData<Rgb24>(ImageSharpPng.Configuration, image.GetPixels(), image.Width, image.Height);
        var metadata = picture.Metadata.GetPngMetadata();
        foreach (var (key, value) in text ?? Array.Empty<KeyValuePair<string, string>>())
        {
            if (key.Length is < 1 or > 79 || key.Any(c => c < 32 || c > 255) || key != key.Trim())
            {
                throw new ArgumentException($"PNG text keyword '{key}' must be 1-79 Latin-1 characters without leading or trailing spaces.", nameof(text));
            }
            metadata.TextData.Add(new PngTextData(key, value, string.Empty, string.Empty));
        }
        using var output = new MemoryStream();
        // ImageSharp's encoder options are settable, so each call makes its own rather than sharing one process-wide.
        picture.Save(output, new SixLabors.ImageSharp.Formats.Png.PngEncoder
        {
            ColorType = PngColorType.Rgb,
            BitDepth = PngBitDepth.Bit8,
            InterlaceMethod = PngInterlaceMode.None,
        });
        return output.ToArray();
    }
}
