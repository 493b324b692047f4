namespace HybridDiffusion.Imaging;

/// <summary>PNG's five scanline filters (None, Sub, Up, Average, Paeth), forward and inverse.</summary>
internal static class PngFilters
{
    /// <summary>Filters a row into <paramref name="destination"/>; returns the sum of absolute residuals.</summary>
    public static long Apply(byte filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> destination)
    {
        long score = 0;
        for (int i = 0; i < row.Length; i++)
        {
            byte left = i >= bytesPerPixel ? row[i - bytesPerPixel] : (byte)0;
            byte up = previous.IsEmpty ? (byte)0 : previous[i];
            byte upLeft = previous.IsEmpty || i < bytesPerPixel ? (byte)0 : previous[i - bytesPerPixel];
            byte value = (byte)(row[i] - Predict(filter, left, up, upLeft));
            destination[i] = value;
            score += value < 128 ? value : 256 - value;
        }
        return score;
    }

    /// <summary>Reverses a filter in place, given the already reconstructed previous row (empty for the first).</summary>
    public static void Reverse(byte filter, Span<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel)
    {
        for (int i = 0; i < row.Length; i++)
        {
            byte left = i >= bytesPerPixel ? row[i - bytesPerPixel] : (byte)0;
            byte up = previous.IsEmpty ? (byte)0 : previous[i];
            byte upLeft = previous.IsEmpty || i < bytesPerPixel ? (byte)0 : previous[i - bytesPerPixel];
            row[i] = (byte)(row[i] + Predict(filter, left, up, upLeft));
        }
    }

    private static int Predict(byte filter, byte left, byte up, byte upLeft) => filter switch
    {
        0 => 0,
        1 => left,
        2 => up,
        3 => (left + up) >> 1,
        4 => Paeth(left, up, upLeft),
        _ => throw new InvalidDataException($"Unknown PNG filter type {filter}."),
    };

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
