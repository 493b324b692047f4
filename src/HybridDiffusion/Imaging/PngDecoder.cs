using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace HybridDiffusion.Imaging;

/// <summary>A decoded PNG: its pixels as RGB (alpha dropped) and its text chunks.</summary>
public sealed record PngContent(RgbImage Image, IReadOnlyDictionary<string, string> Text);

/// <summary>
/// Reads non-interlaced PNG files: greyscale (1/2/4/8-bit), grey+alpha, RGB, RGBA (8-bit) and palette (1/2/4/8-bit),
/// with tEXt, zTXt and iTXt metadata. Damaged files fail with a message that names the file and the problem.
/// </summary>
public static class PngDecoder
{
    public static PngContent Decode(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure, $"Cannot read '{path}': {ex.Message}", path, ex);
        }
        return Decode(bytes, path);
    }

    public static PngContent Decode(ReadOnlySpan<byte> data, string source = "PNG data")
    {
        try
        {
            return DecodeCore(data);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidImage, $"'{source}' is not a readable PNG image: {ex.Message}", source, ex);
        }
    }

    private static PngContent DecodeCore(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8 || !data[..8].SequenceEqual(PngEncoder.Signature))
        {
            throw new InvalidDataException("the PNG signature is missing");
        }
        int width = 0, height = 0, bitDepth = 0, colourType = -1;
        byte[]? palette = null;
        var idat = new MemoryStream();
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        bool ended = false;
        int offset = 8;
        while (offset < data.Length && !ended)
        {
            if (offset + 12 > data.Length)
            {
                throw new InvalidDataException("the file ends inside a chunk header (truncated)");
            }
            int length = BinaryPrimitives.ReadInt32BigEndian(data[offset..]);
            if (length < 0 || offset + 12 + length > data.Length)
            {
                throw new InvalidDataException("the file ends inside a chunk (truncated)");
            }
            var type = Encoding.ASCII.GetString(data.Slice(offset + 4, 4));
            var body = data.Slice(offset + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(data[(offset + 8 + length)..]);
            if (crc != Crc32.Compute(data.Slice(offset + 4, 4), body))
            {
                throw new InvalidDataException($"chunk {type} fails its CRC check (damaged file)");
            }
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                    bitDepth = body[8];
                    colourType = body[9];
                    if (body[12] != 0)
                    {
                        throw new InvalidDataException("interlaced PNG files are not supported; save the image without interlacing");
                    }
                    break;
                case "PLTE":
                    palette = body.ToArray();
                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
                case "tEXt":
                case "zTXt":
                case "iTXt":
                    ReadText(type, body, text);
                    break;
                case "IEND":
                    ended = true;
                    break;
            }
            offset += 12 + length;
        }
        if (colourType < 0)
        {
            throw new InvalidDataException("the IHDR chunk is missing");
        }
        if (!ended)
        {
            throw new InvalidDataException("the IEND chunk is missing (truncated file)");
        }
        return new PngContent(Reconstruct(idat.ToArray(), width, height, bitDepth, colourType, palette), text);
    }

    private static RgbImage Reconstruct(byte[] compressed, int width, int height, int bitDepth, int colourType, byte[]? palette)
    {
        int channels = colourType switch
        {
            0 => 1,
            2 => 3,
            3 => 1,
            4 => 2,
            6 => 4,
            _ => throw new InvalidDataException($"colour type {colourType} is not valid"),
        };
        bool lowBitAllowed = colourType is 0 or 3;
        if (!(bitDepth == 8 || (lowBitAllowed && bitDepth is 1 or 2 or 4)))
        {
            throw new InvalidDataException($"bit depth {bitDepth} with colour type {colourType} is not supported (8-bit, or 1/2/4-bit grey and palette)");
        }
        if (colourType == 3 && palette is null)
        {
            throw new InvalidDataException("a palette image has no PLTE chunk");
        }

        int stride = (width * channels * bitDepth + 7) / 8;
        int bytesPerPixel = Math.Max(1, channels * bitDepth / 8);
        var raw = new byte[(stride + 1) * height];
        using (var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress))
        {
            try
            {
                zlib.ReadExactly(raw);
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException("the image data is shorter than its size says (truncated)");
            }
        }

        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * (stride + 1) + 1, stride);
            var previous = y == 0 ? Span<byte>.Empty : raw.AsSpan((y - 1) * (stride + 1) + 1, stride);
            PngFilters.Reverse(raw[y * (stride + 1)], row, previous, bytesPerPixel);
            for (int x = 0; x < width; x++)
            {
                var rgb = pixels.AsSpan((y * width + x) * 3, 3);
                switch (colourType)
                {
                    case 0:
                        rgb.Fill(ScaleSample(Sample(row, x, bitDepth), bitDepth));
                        break;
                    case 3:
                        int index = Sample(row, x, bitDepth);
                        if (index * 3 + 2 >= palette!.Length)
                        {
                            throw new InvalidDataException($"palette index {index} is outside the palette");
                        }
                        palette.AsSpan(index * 3, 3).CopyTo(rgb);
                        break;
                    case 4:
                        rgb.Fill(row[x * 2]);
                        break;
                    default:
                        row.Slice(x * channels, 3).CopyTo(rgb);
                        break;
                }
            }
        }
        return new RgbImage(width, height, pixels);
    }

    private static int Sample(ReadOnlySpan<byte> row, int x, int bitDepth)
    {
        if (bitDepth == 8)
        {
            return row[x];
        }
        int bit = x * bitDepth;
        int shift = 8 - bitDepth - (bit % 8);
        return (row[bit / 8] >> shift) & ((1 << bitDepth) - 1);
    }

    private static byte ScaleSample(int value, int bitDepth) => (byte)(value * 255 / ((1 << bitDepth) - 1));

    private static void ReadText(string type, ReadOnlySpan<byte> body, Dictionary<string, string> text)
    {
        int zero = body.IndexOf((byte)0);
        if (zero <= 0)
        {
            return;
        }
        var key = Encoding.Latin1.GetString(body[..zero]);
        var rest = body[(zero + 1)..];
        string value;
        switch (type)
        {
            case "tEXt":
                value = Encoding.Latin1.GetString(rest);
                break;
            case "zTXt":
                value = Encoding.Latin1.GetString(Inflate(rest[1..]));
                break;
            default:
                bool compressed = rest[0] == 1;
                rest = rest[2..];
                rest = rest[(rest.IndexOf((byte)0) + 1)..]; // language tag
                rest = rest[(rest.IndexOf((byte)0) + 1)..]; // translated keyword
                value = Encoding.UTF8.GetString(compressed ? Inflate(rest) : rest);
                break;
        }
        text[key] = value;
    }

    private static byte[] Inflate(ReadOnlySpan<byte> data)
    {
        using var zlib = new ZLibStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress);
        using var output = new MemoryStream();
        zlib.CopyTo(output);
        return output.ToArray();
    }
}
