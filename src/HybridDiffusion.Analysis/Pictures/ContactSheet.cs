using static HybridDiffusion.Analysis.Pictures.PictureLayout;

namespace HybridDiffusion.Analysis.Pictures;

/// <summary>A titled grid of thumbnails, each with a caption underneath.</summary>
internal static class ContactSheet
{
    public static RgbImage Render(string title, IReadOnlyList<(RgbImage Image, string Caption)> cells, int thumbnailSize = 96, int? columns = null)
    {
        if (cells.Count == 0)
        {
            throw new ArgumentException("A contact sheet needs at least one image.", nameof(cells));
        }
        int cols = columns ?? (int)Math.Ceiling(Math.Sqrt(cells.Count));
        int rows = (cells.Count + cols - 1) / cols;
        int cellWidth = thumbnailSize + Margin, cellHeight = thumbnailSize + CaptionHeight + Margin;
        var canvas = new Canvas(Margin + cols * cellWidth, TitleHeight + Margin + rows * cellHeight, Rgb.White);
        canvas.Text(Margin, Margin, Canvas.Fit(title, canvas.Width - 2 * Margin), Rgb.Black);
        for (int k = 0; k < cells.Count; k++)
        {
            int x = Margin + k % cols * cellWidth, y = TitleHeight + Margin + k / cols * cellHeight;
            canvas.Draw(Thumbnail(cells[k].Image, thumbnailSize), x, y);
            canvas.Text(x, y + thumbnailSize + 3, Canvas.Fit(cells[k].Caption, thumbnailSize), Rgb.Black);
        }
        return canvas.ToImage();
    }

    /// <summary>The image scaled to fit a square of <paramref name="size"/>, keeping its aspect ratio.</summary>
    public static RgbImage Thumbnail(RgbImage image, int size)
    {
        double scale = size / (double)Math.Max(image.Width, image.Height);
        int width = Math.Max(1, (int)Math.Round(image.Width * scale)), height = Math.Max(1, (int)Math.Round(image.Height * scale));
        return ImageResampler.Resize(UnitImage.From(image), width, height, ResizeFilter.Bilinear).ToRgb();
    }
}
