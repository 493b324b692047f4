using static HybridDiffusion.Analysis.Pictures.PictureLayout;

namespace HybridDiffusion.Analysis.Pictures;

/// <summary>A distance matrix as coloured cells (dark = close, yellow = far), row indices and a labelled colour bar.</summary>
internal static class Heatmap
{
    private const int BarWidth = 14;

    public static RgbImage Render(string title, DistanceMatrix matrix, int targetSize = 384)
    {
        int n = matrix.Count;
        if (n == 0)
        {
            throw new ArgumentException("A heatmap needs at least one image.", nameof(matrix));
        }
        int cell = Math.Max(1, targetSize / n);
        int gridSize = cell * n;
        var values = matrix.Pairs().Select(p => p.Distance).ToList();
        double max = values.Count > 0 ? values.Max() : 0;
        double min = values.Count > 0 ? values.Min() : 0;
        string low = min.ToString("F3", CultureInfo.InvariantCulture), high = max.ToString("F3", CultureInfo.InvariantCulture);
        int labelWidth = PixelFont.Measure(high.Length > low.Length ? high : low, 1);
        int indexWidth = PixelFont.Measure((n - 1).ToString(CultureInfo.InvariantCulture), 1) + 4;
        int left = Margin + indexWidth;
        int width = left + gridSize + Margin + BarWidth + 4 + labelWidth + Margin;
        var canvas = new Canvas(Math.Max(width, 160), TitleHeight + Margin + gridSize + Margin, Rgb.White);
        canvas.Text(Margin, Margin, Canvas.Fit(title, canvas.Width - 2 * Margin), Rgb.Black);
        int top = TitleHeight + Margin;
        double range = max - min;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                var colour = i == j ? Rgb.LightGrey : ColourMap.At(range > 0 ? (matrix[i, j] - min) / range : 0.5);
                canvas.Fill(left + j * cell, top + i * cell, cell, cell, colour);
            }
            // Row numbers when there is room for them: the report's labels list says which image each is.
            if (cell >= PixelFont.GlyphHeight + 1)
            {
                canvas.Text(Margin, top + i * cell + (cell - PixelFont.GlyphHeight) / 2, i.ToString(CultureInfo.InvariantCulture), Rgb.Black);
            }
        }
        int barX = left + gridSize + Margin;
        for (int y = 0; y < gridSize; y++)
        {
            canvas.Fill(barX, top + y, BarWidth, 1, ColourMap.At(1 - y / (double)Math.Max(1, gridSize - 1)));
        }
        canvas.Text(barX + BarWidth + 4, top, high, Rgb.Black);
        canvas.Text(barX + BarWidth + 4, top + gridSize - PixelFont.GlyphHeight, low, Rgb.Black);
        return canvas.ToImage();
    }
}
