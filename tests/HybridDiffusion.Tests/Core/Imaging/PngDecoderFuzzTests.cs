using System.Buffers.Binary;
using PngDecoder = HybridDiffusion.Core.Imaging.PngDecoder;
using PngEncoder = HybridDiffusion.Core.Imaging.PngEncoder;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Tests.Core.Imaging;

/// <summary>
/// Seeded mutations of valid PNG files through the reader: every outcome is an image or the project's exception,
/// never another exception type, a hang or an unbounded allocation.
/// </summary>
public sealed class PngDecoderFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 1000;

    /// <summary>
    /// Managed memory one mutated file may cost: the RGB pixels of the largest image the reader accepts, plus slack.
    /// ImageSharp's own buffer is unmanaged and capped by its allocation limit.
    /// </summary>
    private const long AllocationBound = ImageSharpPng.MaxPixels * 3 + (16L << 20);

    [Fact]
    public void MutatedPngsGiveAnImageOrTheProjectsExceptionNeverACrashOrHang()
    {
        var seeds = SeedFiles();
        var random = new Random(20261126);
        int decoded = 0, refused = 0;
        var failures = new List<string>();
        // A hang would never finish: run the cases on a worker and give up after a generous wall-clock allowance.
        var run = Task.Run(() =>
        {
            for (int i = 0; i < Mutations; i++)
            {
                var (name, mutated) = Mutate(seeds[random.Next(seeds.Count)], random);
                if (random.Next(2) == 0)
                {
                    // Half the cases get valid CRCs again, so the mutation reaches the decoder instead of its CRC check.
                    (name, mutated) = (name + ", CRCs fixed", WithValidCrcs(mutated));
                }
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var content = PngDecoder.Decode(mutated, $"case {i}");
                    Assert.Equal(content.Image.Width * content.Image.Height * 3, content.Image.Pixels.Length);
                    decoded++;
                }
                catch (HybridDiffusionException ex) when (ex.Kind == HybridErrorKind.InvalidImage && ex.Message.StartsWith($"'case {i}' is not a readable PNG image: ", StringComparison.Ordinal))
                {
                    refused++;
                }
                catch (Exception ex)
                {
                    failures.Add($"case {i} ({name}): {ex.GetType().Name}: {ex.Message}");
                }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated > AllocationBound)
                {
                    failures.Add($"case {i} ({name}) allocated {allocated:N0} bytes");
                }
            }
        });
        Assert.True(run.Wait(TimeSpan.FromMinutes(5)), $"the fuzz run did not finish: a mutated file hangs the reader ({decoded + refused} cases done)");
        output.WriteLine($"{Mutations} mutations: {decoded} decoded, {refused} refused with the project's exception, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(Mutations, decoded + refused);
    }

    /// <summary>Valid files of each kind the reader meets: this tool's output with text, grey, palette, RGBA, 16-bit, interlaced.</summary>
    private static List<byte[]> SeedFiles()
    {
        var pixels = Enumerable.Range(0, 24 * 16 * 3).Select(i => (byte)(i * 29 % 256)).ToArray();
        var files = new List<byte[]>
        {
            PngEncoder.Encode(new RgbImage(24, 16, pixels), new Dictionary<string, string>
            {
                ["Prompt"] = "a red circle", ["Note"] = "日本の猫", ["Long"] = new string('x', 3000),
            }),
            TestPng.Build(4, 3, 8, 0, TestPng.Zlib(Enumerable.Range(0, 15).Select(i => (byte)(i % 5 == 0 ? 0 : i * 17)).ToArray())),
            TestPng.Build(3, 2, 2, 3, TestPng.Zlib(new byte[] { 0, 0b11_00_01_00, 0, 0b01_10_00_00 }), new byte[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9 }),
            TestPng.Build(2, 2, 8, 6, TestPng.Zlib(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 9, 8, 7, 6, 5, 4, 3, 2 })),
            TestPng.Build(2, 1, 16, 2, TestPng.Zlib(new byte[] { 0, 0xFF, 0xFF, 0, 0, 0x80, 0x80, 1, 2, 3, 4, 5, 6 }),
                extraChunks: new[] { ("zTXt", TestPng.TextBody("Comment", new byte[] { 0 }, TestPng.Zlib(new byte[300]))) }),
        };
        using var picture = Image.LoadPixelData<Rgb24>(pixels, 24, 16);
        using var interlaced = new MemoryStream();
        picture.Save(interlaced, new SixLabors.ImageSharp.Formats.Png.PngEncoder { InterlaceMethod = SixLabors.ImageSharp.Formats.Png.PngInterlaceMode.Adam7 });
        files.Add(interlaced.ToArray());
        return files;
    }

    private static byte[] WithValidCrcs(byte[] png)
    {
        var fixedUp = (byte[])png.Clone();
        for (long at = 8; at + 12 <= fixedUp.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(fixedUp.AsSpan((int)at));
            if (at + 12 + length > fixedUp.Length)
            {
                break;
            }
            var crc = new System.IO.Hashing.Crc32();
            crc.Append(fixedUp.AsSpan((int)at + 4, (int)length + 4));
            BinaryPrimitives.WriteUInt32BigEndian(fixedUp.AsSpan((int)(at + 8 + length)), crc.GetCurrentHashAsUInt32());
            at += 12 + length;
        }
        return fixedUp;
    }

    private static (string Name, byte[] Bytes) Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(6))
        {
            case 0:
                for (int k = random.Next(1, 9); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
                return ("bit flips", bytes);
            case 1:
                return ("truncated", bytes[..random.Next(bytes.Length)]);
            case 2:
                for (int k = random.Next(1, 5); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
                return ("random bytes", bytes);
            case 3:
                // A 32-bit field set to an extreme: chunk lengths, header sizes, text lengths.
                int at = random.Next(8, bytes.Length - 4);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), random.Next(3) switch { 0 => uint.MaxValue, 1 => 0x7FFFFFFF, _ => (uint)random.Next(1, 70000) });
                return ("extreme field", bytes);
            case 4:
                int from = random.Next(8, bytes.Length), length = random.Next(1, Math.Min(64, bytes.Length - from) + 1);
                var inserted = new byte[random.Next(1, 32)];
                random.NextBytes(inserted);
                return ("splice", bytes[..from].Concat(inserted).Concat(bytes[Math.Min(bytes.Length, from + length)..]).ToArray());
            default:
                // Header size rewritten to one the reader accepts, mostly larger than the data can fill.
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), (uint)random.Next(1, 2000));
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), (uint)random.Next(1, 2000));
                return ("header size", bytes);
        }
    }
}
