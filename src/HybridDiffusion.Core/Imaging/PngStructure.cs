using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace HybridDiffusion.Core.Imaging;

/// <summary>
/// Walks a PNG file's chunk framing (signature, then length + type + data + CRC up to IEND): checks the header's size
/// against <see cref="ImageSharpPng.MaxPixels"/>, refuses interlacing, and reads tEXt, zTXt and iTXt text, each value bounded to
/// <see cref="ImageSharpPng.MaxTextBytes"/> after inflating. Pixels and CRCs are ImageSharp's business; this refuses
/// what must never reach it (absurd sizes, text bombs) and notices a file cut short before IEND.
/// </summary>
internal static class PngStructure
{
    private static readonly byte[] Signature = { 137, 80, 78, 71, 13, 10, 26, 10 };

    /// <summary>The file's text entries and image data layout; throws <see cref="InvalidDataException"/> with the reason when the file is refused.</summary>
    public static PngLayout Scan(Stream stream)
    {
        Span<byte> header = stackalloc byte[8];
        if (!TryRead(stream, header) || !header.SequenceEqual(Signature))
        {
            throw new InvalidDataException("it does not start with the PNG signature (not a PNG file)");
        }
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        var imageData = new List<(long Offset, int Length)>();
        (long RowBytes, long Rows)? rows = null;
        while (true)
        {
            if (!TryRead(stream, header))
            {
                throw new InvalidDataException("the file ends before its IEND chunk (truncated)");
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = Encoding.ASCII.GetString(header[4..]);
            if (length > int.MaxValue || stream.Length - stream.Position < length + 4L)
            {
                throw new InvalidDataException($"chunk {type} runs past the end of the file (truncated or damaged)");
            }
            if (rows is null)
            {
                rows = CheckHeader(stream, type, length);
                continue;
            }
            if (type == "IEND")
            {
                return new PngLayout(text, imageData, rows.Value.RowBytes, rows.Value.Rows);
            }
            if (type == "IDAT")
            {
                imageData.Add((stream.Position, (int)length));
            }
            if (type is "tEXt" or "zTXt" or "iTXt")
            {
                if (length > ImageSharpPng.MaxTextBytes)
                {
                    throw new InvalidDataException($"a {type} text chunk of {length:N0} bytes is larger than the {ImageSharpPng.MaxTextBytes:N0} bytes allowed");
                }
                var body = new byte[length];
                stream.ReadExactly(body);
                if (ParseText(type, body) is { } entry)
                {
                    text[entry.Key] = entry.Value;
                }
                stream.Seek(4, SeekOrigin.Current);
            }
            else
            {
                stream.Seek(length + 4L, SeekOrigin.Current);
            }
        }
    }

    /// <summary>
    /// Reads the IHDR chunk (and its CRC), which must come first, name a size the reader accepts and no interlacing;
    /// returns the bytes of one inflated row (its filter byte and samples) and the number of rows.
    /// </summary>
    private static (long RowBytes, long Rows) CheckHeader(Stream stream, string type, uint length)
    {
        if (type != "IHDR" || length != 13)
        {
            throw new InvalidDataException("its first chunk is not a 13-byte IHDR header (damaged file)");
        }
        Span<byte> header = stackalloc byte[13 + 4];
        stream.ReadExactly(header);
        uint width = BinaryPrimitives.ReadUInt32BigEndian(header), height = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw new InvalidDataException($"its header gives the size {width}x{height}, which PNG does not allow (1 to 2147483647 each way)");
        }
        if (header[12] != 0)
        {
            // ImageSharp 2.1 can spin forever on an Adam7 file whose data runs out early; the hand-written reader refused them too.
            throw new InvalidDataException("interlaced (Adam7) PNG files are not read; save the image without interlacing");
        }
        if ((long)width * height > ImageSharpPng.MaxPixels)
        {
            throw new InvalidDataException(
                $"its header says {width}x{height} ({(long)width * height:N0} pixels); images above {ImageSharpPng.MaxPixels:N0} pixels (8192x8192) are refused");
        }
        int bitDepth = header[8];
        int channels = header[9] switch { 0 or 3 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || bitDepth is not (1 or 2 or 4 or 8 or 16))
        {
            throw new InvalidDataException($"its header gives colour type {header[9]} with bit depth {bitDepth}, which PNG does not define");
        }
        return (1 + ((long)width * channels * bitDepth + 7) / 8, height);
    }

    /// <summary>One text entry, or null for a chunk too malformed to name a keyword (skipped, as PNG readers do).</summary>
    private static KeyValuePair<string, string>? ParseText(string type, ReadOnlySpan<byte> body)
    {
        int zero = body.IndexOf((byte)0);
        if (zero <= 0)
        {
            return null;
        }
        var key = Encoding.Latin1.GetString(body[..zero]);
        var rest = body[(zero + 1)..];
        switch (type)
        {
            case "tEXt":
                return new(key, Encoding.Latin1.GetString(rest));
            case "zTXt":
                return rest.Length < 1 ? null : new(key, Encoding.Latin1.GetString(Inflate(rest[1..], key)));
            default:
                if (rest.Length < 2)
                {
                    return null;
                }
                bool compressed = rest[0] == 1;
                rest = rest[2..];
                for (int skip = 0; skip < 2; skip++) // language tag, translated keyword
                {
                    int end = rest.IndexOf((byte)0);
                    if (end < 0)
                    {
                        return null;
                    }
                    rest = rest[(end + 1)..];
                }
                return new(key, Encoding.UTF8.GetString(compressed ? Inflate(rest, key) : rest));
        }
    }

    /// <summary>Inflates compressed text, refusing more than <see cref="ImageSharpPng.MaxTextBytes"/> (a text bomb).</summary>
    private static byte[] Inflate(ReadOnlySpan<byte> data, string key)
    {
        using var zlib = new ZLibStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress);
        var buffer = new byte[ImageSharpPng.MaxTextBytes + 1];
        int total;
        try
        {
            total = zlib.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException)
        {
            throw new InvalidDataException($"its compressed text '{key}' is damaged (not valid zlib data)");
        }
        if (total > ImageSharpPng.MaxTextBytes)
        {
            throw new InvalidDataException($"its compressed text '{key}' inflates past the {ImageSharpPng.MaxTextBytes:N0} bytes allowed (a decompression bomb?)");
        }
        return buffer[..total];
    }

    private static bool TryRead(Stream stream, Span<byte> buffer) =>
        stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;
}
