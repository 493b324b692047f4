namespace HybridDiffusion.Analysis.Pictures;

/// <summary>
/// Geometry shared by the SVG and PNG commitment charts: plot area, axis scales, ticks and series colours, so both
/// formats draw the same picture.
/// </summary>
internal sealed class ChartLayout
{
    public const int Width = 640;
    public const int Height = 400;
    public const int Left = 60;
    public const int Right = 160;
    public const int Top = 34;
    public const int Bottom = 46;

    private static readonly Rgb[] s_palette =
    {
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189), new(140, 86, 75),
    };

    public ChartLayout(double maxValue)
    {
        // Round the y range up to a multiple of 0.05 so ticks land on readable values.
        YMax = Math.Max(0.05, Math.Ceiling(maxValue / 0.05) * 0.05);
    }

    public double YMax { get; }

    public int PlotWidth => Width - Left - Right;

    public int PlotHeight => Height - Top - Bottom;

    public double X(double fraction) => Left + fraction * PlotWidth;

    public double Y(double value) => Top + (1 - Math.Clamp(value, 0, YMax) / YMax) * PlotHeight;

    public static IReadOnlyList<double> XTicks { get; } = new[] { 0, 0.25, 0.5, 0.75, 1 };

    public IReadOnlyList<double> YTicks => Enumerable.Range(0, 6).Select(i => YMax * i / 5).ToList();

    public static Rgb Colour(int series) => s_palette[series % s_palette.Length];

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public const string XLabel = "fraction of steps done";
    public const string YLabel = "RMS distance to final image";
}
