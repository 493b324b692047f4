using System.IO.Compression;

namespace HybridDiffusion.Core.Imaging;

/// <summary>
/// Checks that a non-interlaced PNG's IDAT chunks inflate to every row its header promises. ImageSharp fills the rows of
/// image data that ends early with zeros, so a file cut inside its image data (each chunk still whole, with its CRC)
/// would otherwise be measured as an image with black rows. The data is inflated through a small buffer and never held.
/// </summary>
internal static class PngImageData
{
    public static void RequireComplete(Stream file, PngLayout layout)
    {
        var (rowBytes, rows) = (layout.RowBytes, layout.Rows);
        long expected = rowBytes * rows, total = 0;
        var buffer = new byte[1 << 16];
        using var zlib = new ZLibStream(new ChunkStream(file, layout.ImageData), CompressionMode.Decompress);
        try
        {
            int read;
            while (total < expected && (read = zlib.Read(buffer, 0, (int)Math.Min(buffer.Length, expected - total))) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            throw new InvalidDataException("its image data (IDAT) is damaged: it is not valid zlib data");
        }
        if (total < expected)
        {
            throw new InvalidDataException($"its image data ends after {total / rowBytes:N0} of its {rows:N0} rows (truncated or damaged)");
        }
    }

    /// <summary>The IDAT chunks' data as one stream, read from the file in place (the file itself is not closed).</summary>
    private sealed class ChunkStream(Stream file, IReadOnlyList<(long Offset, int Length)> chunks) : Stream
    {
        private int _chunk;
        private int _within;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_chunk < chunks.Count && _within == chunks[_chunk].Length)
            {
                (_chunk, _within) = (_chunk + 1, 0);
            }
            if (_chunk == chunks.Count || count == 0)
            {
                return 0;
            }
            var (start, length) = chunks[_chunk];
            file.Position = start + _within;
            int read = file.Read(buffer, offset, Math.Min(count, length - _within));
            if (read == 0)
            {
                throw new EndOfStreamException("the file ends inside an IDAT chunk");
            }
            _within += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
