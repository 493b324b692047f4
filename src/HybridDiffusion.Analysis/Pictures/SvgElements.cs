using System.Xml.Linq;

namespace HybridDiffusion.Analysis.Pictures;

/// <summary>
/// The few SVG elements the charts are drawn with: numbers rounded for the file, lines and text, and the parts every
/// line chart shares (frame, grid, axis labels, series, legend), laid out by <see cref="ChartLayout"/>.
/// </summary>
internal static class SvgElements
{
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static XAttribute[] Coordinates(double x1, double y1, double x2, double y2) => new[]
    {
        new XAttribute("x1", Number(x1)), new XAttribute("y1", Number(y1)), new XAttribute("x2", Number(x2)), new XAttribute("y2", Number(y2)),
    };

    public static XElement Line(XNamespace ns, double x1, double y1, double x2, double y2, string colour) =>
        new(ns + "line", Coordinates(x1, y1, x2, y2), new XAttribute("stroke", colour));

    public static XElement Text(XNamespace ns, double x, double y, string text, string anchor, int size = 12) =>
        new(ns + "text", new XAttribute("x", Number(x)), new XAttribute("y", Number(y)), new XAttribute("text-anchor", anchor), new XAttribute("font-size", size), text);

    public static XElement DashedLine(XNamespace ns, double x1, double y1, double x2, double y2) =>
        new(ns + "line", Coordinates(x1, y1, x2, y2), new XAttribute("stroke", "#888"), new XAttribute("stroke-dasharray", "6 4"));

    /// <summary>A chart's root element: its size, a white background and the title.</summary>
    public static XElement Chart(XNamespace ns, string title) => new(ns + "svg",
        new XAttribute("width", ChartLayout.Width), new XAttribute("height", ChartLayout.Height),
        new XAttribute("viewBox", $"0 0 {ChartLayout.Width} {ChartLayout.Height}"),
        new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", 12),
        new XElement(ns + "rect", new XAttribute("width", ChartLayout.Width), new XAttribute("height", ChartLayout.Height), new XAttribute("fill", "white")),
        Text(ns, ChartLayout.Left, 20, title, "start", 14));

    /// <summary>The horizontal grid lines at the layout's y ticks, each with its value.</summary>
    public static IEnumerable<XElement> YGrid(XNamespace ns, ChartLayout layout) => layout.YTicks.SelectMany(tick => new[]
    {
        Line(ns, ChartLayout.Left, layout.Y(tick), ChartLayout.Left + layout.PlotWidth, layout.Y(tick), "#e0e0e0"),
        Text(ns, ChartLayout.Left - 6, layout.Y(tick) + 4, ChartLayout.Format(tick), "end"),
    });

    /// <summary>The x label under the plot and the y label turned along its left edge.</summary>
    public static IEnumerable<XElement> AxisLabels(XNamespace ns, ChartLayout layout, string xLabel, string yLabel) => new[]
    {
        Text(ns, ChartLayout.Left + layout.PlotWidth / 2.0, ChartLayout.Height - 8, xLabel, "middle"),
        new XElement(ns + "text", new XAttribute("transform", $"translate(16 {ChartLayout.Top + layout.PlotHeight / 2}) rotate(-90)"),
            new XAttribute("text-anchor", "middle"), yLabel),
    };

    /// <summary>A series: its line through the points (in pixels) and a dot at each.</summary>
    public static IEnumerable<XElement> Series(XNamespace ns, IReadOnlyList<(double X, double Y)> points, string colour, double radius) =>
        points.Select(p => new XElement(ns + "circle", new XAttribute("cx", Number(p.X)), new XAttribute("cy", Number(p.Y)), new XAttribute("r", radius),
                new XAttribute("fill", colour)))
            .Prepend(new XElement(ns + "polyline", new XAttribute("points", string.Join(" ", points.Select(p => $"{Number(p.X)},{Number(p.Y)}"))),
                new XAttribute("fill", "none"), new XAttribute("stroke", colour), new XAttribute("stroke-width", 2)));

    /// <summary>Where the legend's row starts, right of the plot: rows are 18 pixels apart.</summary>
    public static (double X, double Y) LegendRow(ChartLayout layout, int row) =>
        (ChartLayout.Left + layout.PlotWidth + 14, ChartLayout.Top + 10 + row * 18);

    /// <summary>A legend row: a short line of the series' colour and its label.</summary>
    public static IEnumerable<XElement> LegendEntry(XNamespace ns, ChartLayout layout, int row, string colour, string label)
    {
        var (x, y) = LegendRow(layout, row);
        return new[]
        {
            new XElement(ns + "line", Coordinates(x, y, x + 20, y), new XAttribute("stroke", colour), new XAttribute("stroke-width", 3)),
            Text(ns, x + 26, y + 4, label, "start"),
        };
    }
}
