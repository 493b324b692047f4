using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using HybridDiffusion.Imaging;

namespace HybridDiffusion.Tests;

public sealed class PngTests
{
    [Fact]
    public void RgbRoundTripsWithLatin1AndUnicodeText()
    {
        var pixels = Enumerable.Range(0, 7 * 5 * 3).Select(i => (byte)(i * 37 % 256)).ToArray();
        var image = new RgbImage(7, 5, pixels);
        var png = PngEncoder.Encode(image, new Dictionary<string, string> { ["Prompt"] = "un café rouge", ["Note"] = "日本の猫 🎨" });
        var decoded = PngDecoder.Decode(png);
        Assert.Equal(pixels, decoded.Image.Pixels);
        Assert.Equal("un café rouge", decoded.Text["Prompt"]);
        Assert.Equal("日本の猫 🎨", decoded.Text["Note"]);
    }

    [Fact]
    public void DecodesEightBitGreyAndRgba()
    {
        var grey = PngDecoder.Decode(Build(2, 1, 8, 0, new byte[] { 0, 10, 200 })).Image;
        Assert.Equal(new byte[] { 10, 10, 10, 200, 200, 200 }, grey.Pixels);
        var rgba = PngDecoder.Decode(Build(1, 1, 8, 6, new byte[] { 0, 1, 2, 3, 4 })).Image;
        Assert.Equal(new byte[] { 1, 2, 3 }, rgba.Pixels);
    }

    [Fact]
    public void DecodesPaletteImagesIncludingLowBitDepths()
    {
        var palette = new byte[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9 };
        var eightBit = PngDecoder.Decode(Build(3, 1, 8, 3, new byte[] { 0, 2, 1, 3 }, palette)).Image;
        Assert.Equal(new byte[] { 0, 0, 255, 0, 255, 0, 9, 9, 9 }, eightBit.Pixels);
        // Two bits per pixel: indices 3, 0, 1 packed as 0b11_00_01_00.
        var twoBit = PngDecoder.Decode(Build(3, 1, 2, 3, new byte[] { 0, 0b11_00_01_00 }, palette)).Image;
        Assert.Equal(new byte[] { 9, 9, 9, 255, 0, 0, 0, 255, 0 }, twoBit.Pixels);
    }

    [Fact]
    public void CorruptAndTruncatedFilesFailWithAReason()
    {
        var png = PngEncoder.Encode(new RgbImage(4, 4, new byte[48]));
        var truncated = Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(png[..(png.Length - 20)], "cut.png"));
        Assert.Contains("cut.png", truncated.Message);
        Assert.Contains("truncated", truncated.Message);
        var damaged = (byte[])png.Clone();
        damaged[40] ^= 0xFF;
        Assert.Contains("CRC", Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(damaged)).Message);
        Assert.Contains("signature", Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(Encoding.ASCII.GetBytes("GIF89a....."))).Message);
    }

    [Fact]
    public void AtomicWriteReplacesWholeFilesAndLeavesNoTemporaries()
    {
        using var folder = new TempFolder();
        var path = folder["image.png"];
        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        AtomicFile.WriteAllBytes(path, new byte[] { 4, 5 });
        Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    /// <summary>A minimal PNG with one unfiltered scanline per row given in <paramref name="rows"/> (filter bytes included).</summary>
    private static byte[] Build(int width, int height, byte bitDepth, byte colourType, byte[] rows, byte[]? palette = null)
    {
        using var output = new MemoryStream();
        output.Write(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 });
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        Chunk(output, "IHDR", header);
        if (palette is not null)
        {
            Chunk(output, "PLTE", palette);
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(rows);
        }
        Chunk(output, "IDAT", compressed.ToArray());
        Chunk(output, "IEND", Array.Empty<byte>());
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data) => PngEncoder.WriteChunk(output, type, data);
}
