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
        var svg = Chart(ns, title);
        foreach (var x in all.Select(p => p.X).Distinct().Order())
        {
            svg.Add(Line(ns, X(x), ChartLayout.Top, X(x), ChartLayout.Top + layout.PlotHeight, "#e0e0e0"));
            svg.Add(Text(ns, X(x), ChartLayout.Height - ChartLayout.Bottom + 16, ChartLayout.Format(x), "middle"));
        }
        svg.Add(YGrid(ns, layout));
        svg.Add(AxisLabels(ns, layout, xLabel, yLabel));
        if (reference is var (referenceLabel, referenceValue))
        {
            svg.Add(DashedLine(ns, ChartLayout.Left, layout.Y(referenceValue), ChartLayout.Left + layout.PlotWidth, layout.Y(referenceValue)));
            var (legendX, legendY) = LegendRow(layout, series.Count);
            svg.Add(Text(ns, legendX, legendY + 4, referenceLabel, "start"));
        }
        for (int i = 0; i < series.Count; i++)
        {
            var colour = ChartLayout.Colour(i).ToHex();
            svg.Add(Series(ns, series[i].Points.OrderBy(p => p.X).Select(p => (X(p.X), layout.Y(p.Y))).ToList(), colour, 3));
            svg.Add(LegendEntry(ns, layout, i, colour, series[i].Label));
        }
        return new XDocument(svg).ToString();
    }
}
