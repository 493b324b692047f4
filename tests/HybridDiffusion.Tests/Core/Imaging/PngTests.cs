using System.Text;
using PngDecoder = HybridDiffusion.Core.Imaging.PngDecoder;
using PngEncoder = HybridDiffusion.Core.Imaging.PngEncoder;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Tests.Core.Imaging;

public sealed class PngTests
{
    [Fact]
    public void RgbRoundTripsWithLatin1UnicodeAndLongText()
    {
        var pixels = Enumerable.Range(0, 7 * 5 * 3).Select(i => (byte)(i * 37 % 256)).ToArray();
        var image = new RgbImage(7, 5, pixels);
        var longText = string.Concat(Enumerable.Repeat("base:999;distilled:759,499,259 ", 200));
        var png = PngEncoder.Encode(image, new Dictionary<string, string>
        {
            ["Prompt"] = "un café rouge",
            ["Note"] = "日本の猫 🎨",
            ["Long"] = longText,
            ["LongUnicode"] = longText + "🎨",
        });
        var decoded = PngDecoder.Decode(png);
        Assert.Equal(pixels, decoded.Image.Pixels);
        Assert.Equal("un café rouge", decoded.Text["Prompt"]);
        Assert.Equal("日本の猫 🎨", decoded.Text["Note"]);
        Assert.Equal(longText, decoded.Text["Long"]);
        Assert.Equal(longText + "🎨", decoded.Text["LongUnicode"]);
        Assert.Equal(png, PngEncoder.Encode(image, new Dictionary<string, string>
        {
            ["Prompt"] = "un café rouge", ["Note"] = "日本の猫 🎨", ["Long"] = longText, ["LongUnicode"] = longText + "🎨",
        }));
    }

    [Fact]
    public void ZtxtAndCompressedItxtAreRead()
    {
        var compressed = TestPng.Zlib(Encoding.Latin1.GetBytes("señal"));
        var utf8 = TestPng.Zlib(Encoding.UTF8.GetBytes("猫"));
        var png = TestPng.Build(1, 1, 8, 2, TestPng.Zlib(new byte[] { 0, 1, 2, 3 }), extraChunks: new[]
        {
            ("zTXt", TestPng.TextBody("Latin", new byte[] { 0 }, compressed)),
            ("iTXt", TestPng.TextBody("Unicode", new byte[] { 1, 0 }, Encoding.ASCII.GetBytes("ja\0Katze\0"), utf8)),
        });
        var decoded = PngDecoder.Decode(png);
        Assert.Equal("señal", decoded.Text["Latin"]);
        Assert.Equal("猫", decoded.Text["Unicode"]);
    }

    [Fact]
    public void DecodesEightBitGreyAndRgba()
    {
        var grey = PngDecoder.Decode(TestPng.Build(2, 1, 8, 0, TestPng.Zlib(new byte[] { 0, 10, 200 }))).Image;
        Assert.Equal(new byte[] { 10, 10, 10, 200, 200, 200 }, grey.Pixels);
        var rgba = PngDecoder.Decode(TestPng.Build(1, 1, 8, 6, TestPng.Zlib(new byte[] { 0, 1, 2, 3, 4 }))).Image;
        Assert.Equal(new byte[] { 1, 2, 3 }, rgba.Pixels);
    }

    [Fact]
    public void DecodesPaletteImagesIncludingLowBitDepths()
    {
        var palette = new byte[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9 };
        var eightBit = PngDecoder.Decode(TestPng.Build(3, 1, 8, 3, TestPng.Zlib(new byte[] { 0, 2, 1, 3 }), palette)).Image;
        Assert.Equal(new byte[] { 0, 0, 255, 0, 255, 0, 9, 9, 9 }, eightBit.Pixels);
        // Two bits per pixel: indices 3, 0, 1 packed as 0b11_00_01_00.
        var twoBit = PngDecoder.Decode(TestPng.Build(3, 1, 2, 3, TestPng.Zlib(new byte[] { 0, 0b11_00_01_00 }), palette)).Image;
        Assert.Equal(new byte[] { 9, 9, 9, 255, 0, 0, 0, 255, 0 }, twoBit.Pixels);
    }

    [Fact]
    public void SixteenBitFilesAreReadAsEightBitRgbAndInterlacedOnesRefused()
    {
        // 16-bit RGB: samples 0xFFFF, 0x0000, 0x8080 become 255, 0, 128.
        var sixteen = TestPng.Build(1, 1, 16, 2, TestPng.Zlib(new byte[] { 0, 0xFF, 0xFF, 0x00, 0x00, 0x80, 0x80 }));
        Assert.Equal(new byte[] { 255, 0, 128 }, PngDecoder.Decode(sixteen).Image.Pixels);

        var pixels = Enumerable.Range(0, 9 * 7 * 3).Select(i => (byte)(i * 53 % 256)).ToArray();
        using var picture = Image.LoadPixelData<Rgb24>(pixels, 9, 7);
        using var interlaced = new MemoryStream();
        picture.Save(interlaced, new SixLabors.ImageSharp.Formats.Png.PngEncoder
        {
            InterlaceMethod = SixLabors.ImageSharp.Formats.Png.PngInterlaceMode.Adam7,
            ColorType = SixLabors.ImageSharp.Formats.Png.PngColorType.Rgb,
        });
        Assert.Equal(1, interlaced.ToArray()[8 + 8 + 12]); // IHDR's interlace byte: Adam7
        var refused = Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(interlaced.ToArray(), "adam7.png"));
        Assert.Equal("'adam7.png' is not a readable PNG image: interlaced (Adam7) PNG files are not read; save the image without interlacing", refused.Message);
    }

    [Fact]
    public void CorruptAndTruncatedFilesFailWithAReason()
    {
        var png = PngEncoder.Encode(new RgbImage(4, 4, new byte[48]));
        var truncated = Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(png[..(png.Length - 20)], "cut.png"));
        Assert.Equal(HybridErrorKind.InvalidImage, truncated.Kind);
        Assert.Contains("cut.png", truncated.Message);
        Assert.Contains("truncated", truncated.Message);
        var damaged = (byte[])png.Clone();
        damaged[^20] ^= 0xFF; // inside the IDAT chunk
        Assert.Contains("CRC", Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(damaged)).Message);
        Assert.Contains("signature", Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(Encoding.ASCII.GetBytes("GIF89a....."))).Message);
    }

    [Theory]
    [InlineData(16, 8)]
    [InlineData(8192, 10)]
    public void ImageDataThatEndsBeforeItsLastRowIsRefusedNotZeroFilled(int height, int rowsGiven)
    {
        // Whole chunks with sound CRCs whose zlib data holds only the first rows (as a file cut and re-framed would).
        var rows = Enumerable.Range(0, rowsGiven).SelectMany(r => new byte[] { 0 }.Concat(Enumerable.Repeat((byte)(r * 9), 16 * 3))).ToArray();
        var png = TestPng.Build(16, (uint)height, 8, 2, TestPng.Zlib(rows));

        var refused = Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(png, "short.png"));

        Assert.Equal(HybridErrorKind.InvalidImage, refused.Kind);
        Assert.Contains($"'short.png' is not a readable PNG image: its image data ends after {rowsGiven} of its {height:N0} rows", refused.Message);
        // The same rows with the height they fill are read.
        Assert.Equal(rowsGiven, PngDecoder.Decode(TestPng.Build(16, (uint)rowsGiven, 8, 2, TestPng.Zlib(rows))).Image.Height);
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
}
