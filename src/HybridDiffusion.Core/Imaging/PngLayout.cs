namespace HybridDiffusion.Core.Imaging;

/// <summary>What <see cref="PngStructure"/> read of a PNG file's framing: its text, and where its image data lies and how much it must hold.</summary>
/// <param name="ImageData">The IDAT chunks' data, as (offset in the file, length).</param>
/// <param name="RowBytes">One inflated row: its filter byte and samples.</param>
internal sealed record PngLayout(Dictionary<string, string> Text, IReadOnlyList<(long Offset, int Length)> ImageData, long RowBytes, long Rows);
