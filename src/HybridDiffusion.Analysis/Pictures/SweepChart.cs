using System.Xml.Linq;
using static HybridDiffusion.Analysis.Pictures.SvgElements;

namespace HybridDiffusion.Analysis.Pictures;

/// <summary>
/// A sweep as an SVG line chart (the paper's Figure 7): a measure against a swept value, one line per series, and a
/// dashed reference line (the reference setting's value).
/// </summary>
internal static class SweepChart
{
    public static string Svg(string title, string xLabel, string yLabel, IReadOnlyList<(string Label, IReadOnlyList<(double X, double Y)> Points)> series,
        (string Label, double Value)? reference)
    {
        var all = series.SelectMany(s => s.Points).ToList();
        double xMin = all.Min(p => p.X), xMax = all.Max(p => p.X);
        double span = xMax > xMin ? xMax - xMin : 1;
        var layout = new ChartLayout(Math.Max(reference?.Value ?? 0, all.Max(p => p.Y)) * 1.1);
        double X(double x) => layout.X((x - xMin) / span);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var svg = new XElement(ns + "svg",
            new XAttribute("width", ChartLayout.Width), new XAttribute("height", ChartLayout.Height),
            new XAttribute("viewBox", $"0 0 {ChartLayout.Width} {ChartLayout.Height}"),
            new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", 12));
        svg.Add(new XElement(ns + "rect", new XAttribute("width", ChartLayout.Width), new XAttribute("height", ChartLayout.Height), new XAttribute("fill", "white")));
        svg.Add(Text(ns, ChartLayout.Left, 20, title, "start", 14));
        foreach (var x in all.Select(p => p.X).Distinct().Order())
        {
            svg.Add(Line(ns, X(x), ChartLayout.Top, X(x), ChartLayout.Top + layout.PlotHeight, "#e0e0e0"));
            svg.Add(Text(ns, X(x), ChartLayout.Height - ChartLayout.Bottom + 16, ChartLayout.Format(x), "middle"));
        }
        foreach (var tick in layout.YTicks)
        {
            svg.Add(Line(ns, ChartLayout.Left, layout.Y(tick), ChartLayout.Left + layout.PlotWidth, layout.Y(tick), "#e0e0e0"));
            svg.Add(Text(ns, ChartLayout.Left - 6, layout.Y(tick) + 4, ChartLayout.Format(tick), "end"));
        }
        svg.Add(Text(ns, ChartLayout.Left + layout.PlotWidth / 2.0, ChartLayout.Height - 8, xLabel, "middle"));
        svg.Add(new XElement(ns + "text", new XAttribute("transform", $"translate(16 {ChartLayout.Top + layout.PlotHeight / 2}) rotate(-90)"),
            new XAttribute("text-anchor", "middle"), yLabel));
        double legendX = ChartLayout.Left + layout.PlotWidth + 14;
        if (reference is var (referenceLabel, referenceValue))
        {
            svg.Add(new XElement(ns + "line", Coordinates(ChartLayout.Left, layout.Y(referenceValue), ChartLayout.Left + layout.PlotWidth, layout.Y(referenceValue)),
                new XAttribute("stroke", "#888"), new XAttribute("stroke-dasharray", "6 4")));
            svg.Add(Text(ns, legendX, ChartLayout.Top + 10 + series.Count * 18 + 4, referenceLabel, "start"));
        }
        for (int i = 0; i < series.Count; i++)
        {
            var colour = ChartLayout.Colour(i).ToHex();
            var points = series[i].Points.OrderBy(p => p.X).ToList();
            svg.Add(new XElement(ns + "polyline", new XAttribute("points", string.Join(" ", points.Select(p => $"{Number(X(p.X))},{Number(layout.Y(p.Y))}"))),
                new XAttribute("fill", "none"), new XAttribute("stroke", colour), new XAttribute("stroke-width", 2)));
            foreach (var (x, y) in points)
            {
                svg.Add(new XElement(ns + "circle", new XAttribute("cx", Number(X(x))), new XAttribute("cy", Number(layout.Y(y))), new XAttribute("r", 3), new XAttribute("fill", colour)));
            }
            double legendY = ChartLayout.Top + 10 + i * 18;
            svg.Add(new XElement(ns + "line", Coordinates(legendX, legendY, legendX + 20, legendY), new XAttribute("stroke", colour), new XAttribute("stroke-width", 3)));
            svg.Add(Text(ns, legendX + 26, legendY + 4, series[i].Label, "start"));
        }
        return new XDocument(svg).ToString();
    }
}
