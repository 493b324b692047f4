using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace HybridDiffusion.Imaging;

/// <summary>
/// Writes 8-bit RGB PNG files with text metadata: tEXt for Latin-1 values, iTXt (UTF-8) otherwise.
/// Output is deterministic: the same image and metadata give the same bytes.
/// </summary>
public static class PngEncoder
{
    internal static readonly byte[] Signature = { 137, 80, 78, 71, 13, 10, 26, 10 };

    public static byte[] Encode(RgbImage image, IEnumerable<KeyValuePair<string, string>>? text = null)
    {
        using var output = new MemoryStream();
        output.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour
        WriteChunk(output, "IHDR", header);

        foreach (var (key, value) in text ?? Array.Empty<KeyValuePair<string, string>>())
        {
            WriteTextChunk(output, key, value);
        }

        WriteChunk(output, "IDAT", Compress(image));
        WriteChunk(output, "IEND", ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    private static byte[] Compress(RgbImage image)
    {
        int stride = image.Width * 3;
        var filtered = new byte[(stride + 1) * image.Height];
        var candidate = new byte[stride];
        for (int y = 0; y < image.Height; y++)
        {
            var row = image.Pixels.AsSpan(y * stride, stride);
            var previous = y == 0 ? ReadOnlySpan<byte>.Empty : image.Pixels.AsSpan((y - 1) * stride, stride);
            var destination = filtered.AsSpan(y * (stride + 1), stride + 1);
            // Pick the filter with the smallest sum of absolute residuals (the usual PNG heuristic).
            long best = long.MaxValue;
            for (byte filter = 0; filter <= 4; filter++)
            {
                long score = PngFilters.Apply(filter, row, previous, 3, candidate);
                if (score < best)
                {
                    best = score;
                    destination[0] = filter;
                    candidate.CopyTo(destination[1..]);
                }
            }
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(filtered);
        }
        return compressed.ToArray();
    }

    private static void WriteTextChunk(Stream output, string key, string value)
    {
        if (key.Length is < 1 or > 79 || key.Any(c => c < 32 || c > 255))
        {
            throw new ArgumentException($"PNG text keyword '{key}' must be 1-79 Latin-1 characters.", nameof(key));
        }
        var latin1 = Encoding.Latin1;
        bool isLatin1 = value.All(c => c <= 255);
        using var data = new MemoryStream();
        data.Write(latin1.GetBytes(key));
        data.WriteByte(0);
        if (isLatin1)
        {
            data.Write(latin1.GetBytes(value));
            WriteChunk(output, "tEXt", data.ToArray());
        }
        else
        {
            // iTXt: compression flag, method, empty language tag, empty translated keyword, UTF-8 text.
            data.Write(stackalloc byte[] { 0, 0, 0, 0 });
            data.Write(Encoding.UTF8.GetBytes(value));
            WriteChunk(output, "iTXt", data.ToArray());
        }
    }

    internal static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        output.Write(buffer);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc32.Compute(typeBytes, data));
        output.Write(buffer);
    }
}
