using static HybridDiffusion.Analysis.Pictures.PictureLayout;

namespace HybridDiffusion.Analysis.Pictures;

/// <summary>A labelled grid: one row per model or plan, one column per step, each cell captioned.</summary>
internal static class TrajectoryGrid
{
    private const int LabelWidth = 84;

    public static RgbImage Render(string title, IReadOnlyList<(string Label, IReadOnlyList<(RgbImage Image, string Caption)> Cells)> rows, int thumbnailSize = 64)
    {
        if (rows.Count == 0 || rows.All(r => r.Cells.Count == 0))
        {
            throw new ArgumentException("A trajectory grid needs at least one step image.", nameof(rows));
        }
        int columns = rows.Max(r => r.Cells.Count);
        int cellWidth = thumbnailSize + 4, rowHeight = thumbnailSize + CaptionHeight + Margin;
        var canvas = new Canvas(Margin + LabelWidth + columns * cellWidth + Margin, TitleHeight + Margin + rows.Count * rowHeight, Rgb.White);
        canvas.Text(Margin, Margin, Canvas.Fit(title, canvas.Width - 2 * Margin), Rgb.Black);
        for (int r = 0; r < rows.Count; r++)
        {
            int y = TitleHeight + Margin + r * rowHeight;
            canvas.Text(Margin, y + (thumbnailSize - PixelFont.GlyphHeight) / 2, Canvas.Fit(rows[r].Label, LabelWidth - 4), Rgb.Black);
            for (int c = 0; c < rows[r].Cells.Count; c++)
            {
                int x = Margin + LabelWidth + c * cellWidth;
                var (image, caption) = rows[r].Cells[c];
                canvas.Draw(ContactSheet.Thumbnail(image, thumbnailSize), x, y);
                canvas.Text(x, y + thumbnailSize + 3, Canvas.Fit(caption, thumbnailSize), Rgb.Black);
            }
        }
        return canvas.ToImage();
    }
}
