namespace HybridDiffusion.Analysis.Pictures;

/// <summary>A mutable RGB drawing surface for the project's PNG pictures: rectangles, images, lines and bitmap text.</summary>
internal sealed class Canvas
{
    private readonly byte[] _pixels;

    public Canvas(int width, int height, Rgb background)
    {
        if (width <= 0 || height <= 0 || (long)width * height > 64L * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} picture is empty or too large to draw.");
        }
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        Fill(0, 0, width, height, background);
    }

    public int Width { get; }

    public int Height { get; }

    public Rgb this[int x, int y]
    {
        get
        {
            int p = (y * Width + x) * 3;
            return new Rgb(_pixels[p], _pixels[p + 1], _pixels[p + 2]);
        }
        set
        {
            if (x >= 0 && y >= 0 && x < Width && y < Height)
            {
                int p = (y * Width + x) * 3;
                _pixels[p] = value.R;
                _pixels[p + 1] = value.G;
                _pixels[p + 2] = value.B;
            }
        }
    }

    public void Fill(int x, int y, int width, int height, Rgb colour)
    {
        for (int row = Math.Max(0, y); row < Math.Min(Height, y + height); row++)
        {
            for (int column = Math.Max(0, x); column < Math.Min(Width, x + width); column++)
            {
                this[column, row] = colour;
            }
        }
    }

    /// <summary>Copies an image with its top-left corner at (x, y), clipped to the canvas.</summary>
    public void Draw(RgbImage image, int x, int y)
    {
        var pixels = image.GetPixels();
        for (int row = 0; row < image.Height; row++)
        {
            for (int column = 0; column < image.Width; column++)
            {
                int p = (row * image.Width + column) * 3;
                this[x + column, y + row] = new Rgb(pixels[p], pixels[p + 1], pixels[p + 2]);
            }
        }
    }

    /// <summary>Draws text with its top-left corner at (x, y); each font pixel becomes a scale×scale block.</summary>
    public void Text(int x, int y, string text, Rgb colour, int scale = 1)
    {
        for (int i = 0; i < text.Length; i++)
        {
            var glyph = PixelFont.Glyph(text[i]);
            int left = x + i * PixelFont.Advance * scale;
            for (int row = 0; row < PixelFont.GlyphHeight; row++)
            {
                for (int column = 0; column < PixelFont.GlyphWidth; column++)
                {
                    if ((glyph[row] & (1 << (PixelFont.GlyphWidth - 1 - column))) != 0)
                    {
                        Fill(left + column * scale, y + row * scale, scale, scale, colour);
                    }
                }
            }
        }
    }

    /// <summary>Text shortened with ".." so it fits <paramref name="maxWidth"/> pixels.</summary>
    public static string Fit(string text, int maxWidth, int scale = 1)
    {
        if (PixelFont.Measure(text, scale) <= maxWidth)
        {
            return text;
        }
        int characters = Math.Max(0, (maxWidth / scale + 1) / PixelFont.Advance - 2);
        return text[..Math.Min(text.Length, characters)] + "..";
    }

    /// <summary>A straight line <paramref name="thickness"/> pixels wide (square brush along a DDA walk).</summary>
    public void Line(double x0, double y0, double x1, double y1, Rgb colour, int thickness = 1)
    {
        int steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0))) + 1;
        int half = thickness / 2;
        for (int s = 0; s <= steps; s++)
        {
            double t = s / (double)steps;
            int x = (int)Math.Round(x0 + (x1 - x0) * t), y = (int)Math.Round(y0 + (y1 - y0) * t);
            Fill(x - half, y - half, thickness, thickness, colour);
        }
    }

    public RgbImage ToImage() => new(Width, Height, (byte[])_pixels.Clone());
}
