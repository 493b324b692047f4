using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HybridDiffusion.Core.Imaging;

/// <summary>
/// Reads non-interlaced PNG files through ImageSharp (every bit depth and colour type PNG allows; 16-bit samples are
/// reduced to 8 bits) with their tEXt, zTXt and iTXt metadata. Untrusted files are read in bounded memory:
/// <see cref="PngStructure"/> checks the header's size and bounds text before ImageSharp decodes any pixel, and a damaged, truncated, oversized or unreadable file
/// fails with one <see cref="HybridDiffusionException"/> that names the file and the problem.
/// </summary>
public static class PngDecoder
{
    public static PngContent Decode(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure, $"Cannot read '{path}': {ex.Message}", path, ex);
        }
        using (stream)
        {
            return Decode(stream, path);
        }
    }

    public static PngContent Decode(ReadOnlySpan<byte> data, string source = "PNG data")
    {
        using var stream = new MemoryStream(data.ToArray(), writable: false);
        return Decode(stream, source);
    }

    private static PngContent Decode(Stream stream, string source)
    {
        try
        {
            var layout = PngStructure.Scan(stream);
            stream.Position = 0;
            using var image = Image.Load<Rgb24>(ImageSharpPng.Configuration, stream);
            // After ImageSharp, whose CRC check names a damaged chunk more precisely than an inflate would.
            PngImageData.RequireComplete(stream, layout);
            var pixels = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(pixels.AsSpan()));
            return new PngContent(new RgbImage(image.Width, image.Height, pixels), layout.Text);
        }
        catch (IOException ex)
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure, $"Cannot read '{source}': {ex.Message}", source, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not HybridDiffusionException)
        {
            // Whatever a damaged file makes the decoder throw is a property of that file, reported for it alone.
            throw new HybridDiffusionException(HybridErrorKind.InvalidImage, $"'{source}' is not a readable PNG image: {Reason(ex)}", source, ex);
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        SixLabors.ImageSharp.Memory.InvalidMemoryOperationException =>
            $"decoding it would need a buffer above the {ImageSharpPng.AllocationLimitMegabytes} MB limit",
        UnknownImageFormatException => "ImageSharp does not recognise it as a PNG image",
        _ => ex.Message.TrimEnd('.'),
    };
}
