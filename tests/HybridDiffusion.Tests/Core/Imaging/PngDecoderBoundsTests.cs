using System.Text;
using System.Text.Json;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Core.Imaging;

/// <summary>
/// Hostile PNG input (issue 14, item 4): overflowing and absurd header sizes, a small file that is really 20000×20000,
/// text bombs and unreadable files are each refused with a message for that file, in bounded memory, while the other
/// files are still measured.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PngDecoderBoundsTests
{
    /// <summary>What reading one hostile file may allocate on the managed heap: far below any bomb's payload.</summary>
    private const long AllocationBound = 16L << 20;

    private static readonly byte[] OneRgbPixel = TestPng.Zlib(new byte[] { 0, 1, 2, 3 });

    /// <summary>A real 20000×20000 8-bit RGB PNG, every pixel black: about 1.2 MB on disk, 1.2 GB of pixels.</summary>
    private static readonly Lazy<byte[]> s_zeroGiant = new(() =>
        TestPng.Build(20000, 20000, 8, 2, TestPng.ZlibZeros((20000L * 3 + 1) * 20000)));

    public static TheoryData<string> Cases => new(HostileFiles().Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachHostileFileIsRefusedForItselfInBoundedMemory(string name)
    {
        var bytes = HostileFiles()[name].Bytes;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(bytes, name));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before - bytes.Length;
        Assert.Equal(HybridErrorKind.InvalidImage, error.Kind);
        Assert.StartsWith($"'{name}' is not a readable PNG image: ", error.Message);
        Assert.True(error.Message.Contains(HostileFiles()[name].Reason, StringComparison.Ordinal), error.Message);
        Assert.True(allocated < AllocationBound, $"reading {name} allocated {allocated:N0} bytes");
    }

    [Fact]
    public void TheGiantIsAValidPngOfZeros()
    {
        // The same zero stream, at a size the reader accepts, is a black image: the giant is a real PNG, not a broken one.
        var small = TestPng.Build(300, 200, 8, 2, TestPng.ZlibZeros((300L * 3 + 1) * 200));
        Assert.All(PngDecoder.Decode(small).Image.Pixels, p => Assert.Equal(0, p));
        Assert.InRange(s_zeroGiant.Value.Length, 1_000_000, 1_400_000);
    }

    [Fact]
    public void AFileThatCannotBeOpenedIsAnIoFailureNamingIt()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<HybridDiffusionException>(() => PngDecoder.Decode(folder.Path));
        Assert.Equal(HybridErrorKind.IOFailure, error.Kind);
        Assert.StartsWith($"Cannot read '{folder.Path}'", error.Message);
    }

    [Fact]
    public async Task DiversityReportsEveryHostileFileAndMeasuresTheRest()
    {
        using var folder = new TempFolder();
        var good = DemoPair.Generate("a square", GenerationMode.Base, Enumerable.Range(0, 4).Select(i => (long)i));
        for (int i = 0; i < good.Count; i++)
        {
            File.WriteAllBytes(folder[$"good-{i}.png"], PngEncoder.Encode(good[i].Image, good[i].Metadata()));
        }
        foreach (var (name, file) in HostileFiles())
        {
            File.WriteAllBytes(folder[name], file.Bytes);
        }
        File.CreateSymbolicLink(folder["unreadable.png"], folder["no-such-target"]);

        var (code, output, errors) = await DiversityInputTests.Cli("diversity", folder.Path, "--json");

        Assert.Equal(1, code);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in HostileFiles().Keys.Append("unreadable.png"))
        {
            Assert.Single(lines, l => l.StartsWith("hybrid: error: ", StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal));
        }
        Assert.DoesNotContain("   at ", errors);
        using var report = JsonDocument.Parse(output.Trim());
        Assert.Equal(4, report.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("a square", report.RootElement.GetProperty("group").GetString());
    }

    /// <summary>Each hostile file by name, with the words its refusal must contain.</summary>
    private static Dictionary<string, (byte[] Bytes, string Reason)> HostileFiles()
    {
        var textBomb = TestPng.ZlibZeros(1000L << 20); // about 1 MB that inflates to 1000 MiB
        return new Dictionary<string, (byte[], string)>(StringComparer.Ordinal)
        {
            ["overflow-4294967295.png"] = (TestPng.Build(uint.MaxValue, uint.MaxValue, 8, 2, OneRgbPixel), "4294967295x4294967295, which PNG does not allow"),
            ["overflow-2147483647.png"] = (TestPng.Build(int.MaxValue, int.MaxValue, 8, 2, OneRgbPixel), "2147483647x2147483647"),
            ["header-100000x100000.png"] = (TestPng.Build(100000, 100000, 8, 2, OneRgbPixel), "100000x100000 (10,000,000,000 pixels)"),
            ["zeros-20000x20000.png"] = (s_zeroGiant.Value, "20000x20000 (400,000,000 pixels)"),
            ["ztxt-bomb.png"] = (TestPng.Build(1, 1, 8, 2, OneRgbPixel,
                extraChunks: new[] { ("zTXt", TestPng.TextBody("Comment", new byte[] { 0 }, textBomb)) }), "inflates past"),
            ["itxt-bomb.png"] = (TestPng.Build(1, 1, 8, 2, OneRgbPixel,
                extraChunks: new[] { ("iTXt", TestPng.TextBody("Comment", new byte[] { 1, 0, 0, 0 }, textBomb)) }), "inflates past"),
            ["text-chunk-too-large.png"] = (TestPng.Build(1, 1, 8, 2, OneRgbPixel,
                extraChunks: new[] { ("tEXt", TestPng.TextBody("Comment", Encoding.Latin1.GetBytes(new string('x', 2 << 20)))) }), "larger than"),
        };
    }
}
