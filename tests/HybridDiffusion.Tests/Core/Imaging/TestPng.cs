using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace HybridDiffusion.Tests.Core.Imaging;

/// <summary>Hand-built PNG files for the reader's tests: any header, chunk and zlib stream, valid or hostile.</summary>
internal static class TestPng
{
    public static readonly byte[] Signature = { 137, 80, 78, 71, 13, 10, 26, 10 };

    /// <summary>A PNG with one IDAT holding <paramref name="imageData"/> (zlib), plus extra chunks before it.</summary>
    public static byte[] Build(uint width, uint height, byte bitDepth, byte colourType, byte[] imageData,
        byte[]? palette = null, IEnumerable<(string Type, byte[] Data)>? extraChunks = null, byte interlace = 0)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        header[12] = interlace;
        Chunk(output, "IHDR", header);
        if (palette is not null)
        {
            Chunk(output, "PLTE", palette);
        }
        foreach (var (type, data) in extraChunks ?? Array.Empty<(string, byte[])>())
        {
            Chunk(output, type, data);
        }
        Chunk(output, "IDAT", imageData);
        Chunk(output, "IEND", Array.Empty<byte>());
        return output.ToArray();
    }

    /// <summary>zlib-compresses raw scanlines (filter bytes included).</summary>
    public static byte[] Zlib(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }
        return compressed.ToArray();
    }

    /// <summary>
    /// A valid zlib stream of <paramref name="count"/> zero bytes, built from one sync-flushed deflate segment of
    /// 1 MiB zeros repeated (about 1 KB each), so gigabyte bombs cost a few milliseconds to make.
    /// </summary>
    public static byte[] ZlibZeros(long count)
    {
        const int segment = 1 << 20;
        using var output = new MemoryStream();
        output.Write(new byte[] { 0x78, 0x9C });
        var block = SyncFlushedDeflate(segment);
        for (long i = 0; i < count / segment; i++)
        {
            output.Write(block);
        }
        if (count % segment > 0)
        {
            output.Write(SyncFlushedDeflate((int)(count % segment)));
        }
        output.Write(new byte[] { 0x03, 0x00 }); // a final, empty fixed-Huffman block
        var adler = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(adler, (uint)((count % 65521) << 16) | 1u); // Adler-32 of zeros
        output.Write(adler);
        return output.ToArray();
    }

    /// <summary>A tEXt/zTXt/iTXt chunk body: keyword, NUL, then <paramref name="rest"/>.</summary>
    public static byte[] TextBody(string keyword, params byte[][] rest)
    {
        var body = new List<byte>(Encoding.Latin1.GetBytes(keyword)) { 0 };
        foreach (var part in rest)
        {
            body.AddRange(part);
        }
        return body.ToArray();
    }

    public static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        output.Write(buffer);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, crc.GetCurrentHashAsUInt32());
        output.Write(buffer);
    }

    private static byte[] SyncFlushedDeflate(int zeros)
    {
        using var compressed = new MemoryStream();
        using var deflate = new DeflateStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true);
        deflate.Write(new byte[zeros]);
        deflate.Flush();
        return compressed.ToArray();
    }
}
