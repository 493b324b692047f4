using System.Xml.Linq;
using HybridDiffusion.Contracts.Trajectories;
using static HybridDiffusion.Analysis.Pictures.SvgElements;

namespace HybridDiffusion.Analysis.Pictures;

/// <summary>The commitment chart: mean distance to the final image against the fraction of steps done, one line per mode,
/// a band of ±1 standard deviation around it, and the threshold as a dashed line.</summary>
internal static class CommitmentChart
{
    public static ChartLayout Layout(IReadOnlyList<CommitmentCurve> curves, double threshold) =>
        new(Math.Max(threshold * 1.2, curves.SelectMany(c => c.Points).Select(p => p.Mean + p.StandardDeviation).DefaultIfEmpty(0).Max()));

    public static string Svg(string title, IReadOnlyList<CommitmentCurve> curves, double threshold)
    {
        var layout = Layout(curves, threshold);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var svg = Chart(ns, title);
        foreach (var tick in ChartLayout.XTicks)
        {
            svg.Add(Line(ns, layout.X(tick), ChartLayout.Top, layout.X(tick), ChartLayout.Top + layout.PlotHeight, "#e0e0e0"));
            svg.Add(Text(ns, layout.X(tick), ChartLayout.Height - ChartLayout.Bottom + 16, ChartLayout.Format(tick), "middle"));
        }
        svg.Add(YGrid(ns, layout));
        svg.Add(new XElement(ns + "rect", new XAttribute("x", ChartLayout.Left), new XAttribute("y", ChartLayout.Top),
            new XAttribute("width", layout.PlotWidth), new XAttribute("height", layout.PlotHeight), new XAttribute("fill", "none"), new XAttribute("stroke", "#444")));
        svg.Add(AxisLabels(ns, layout, ChartLayout.XLabel, ChartLayout.YLabel));
        svg.Add(DashedLine(ns, layout.X(0), layout.Y(threshold), layout.X(1), layout.Y(threshold)));
        // Every band first, so no series' line disappears under another's band.
        for (int i = 0; i < curves.Count; i++)
        {
            var points = curves[i].Points;
            var band = points.Select(p => Point(layout, p.FractionDone, p.Mean + p.StandardDeviation))
                .Concat(points.Reverse().Select(p => Point(layout, p.FractionDone, Math.Max(0, p.Mean - p.StandardDeviation))));
            svg.Add(new XElement(ns + "polygon", new XAttribute("points", string.Join(" ", band)), new XAttribute("fill", ChartLayout.Colour(i).ToHex()),
                new XAttribute("fill-opacity", 0.15)));
        }
        for (int i = 0; i < curves.Count; i++)
        {
            var colour = ChartLayout.Colour(i).ToHex();
            svg.Add(Series(ns, curves[i].Points.Select(p => (layout.X(p.FractionDone), layout.Y(p.Mean))).ToList(), colour, 2.5));
            svg.Add(LegendEntry(ns, layout, i, colour, curves[i].Label));
        }
        var (legendX, thresholdY) = LegendRow(layout, curves.Count);
        svg.Add(DashedLine(ns, legendX, thresholdY, legendX + 20, thresholdY));
        svg.Add(Text(ns, legendX + 26, thresholdY + 4, $"threshold {ChartLayout.Format(threshold)}", "start"));
        return new XDocument(svg).ToString();
    }

    public static RgbImage Png(string title, IReadOnlyList<CommitmentCurve> curves, double threshold)
    {
        var layout = Layout(curves, threshold);
        var canvas = new Canvas(ChartLayout.Width, ChartLayout.Height, Rgb.White);
        canvas.Text(4, 6, Canvas.Fit(title, ChartLayout.Width - 8), Rgb.Black);
        var grid = new Rgb(224, 224, 224);
        foreach (var tick in ChartLayout.XTicks)
        {
            canvas.Line(layout.X(tick), ChartLayout.Top, layout.X(tick), ChartLayout.Top + layout.PlotHeight, grid);
            var label = ChartLayout.Format(tick);
            canvas.Text((int)layout.X(tick) - PixelFont.Measure(label, 1) / 2, ChartLayout.Height - ChartLayout.Bottom + 8, label, Rgb.Black);
        }
        foreach (var tick in layout.YTicks)
        {
            canvas.Line(ChartLayout.Left, layout.Y(tick), ChartLayout.Left + layout.PlotWidth, layout.Y(tick), grid);
            var label = ChartLayout.Format(tick);
            canvas.Text(ChartLayout.Left - 6 - PixelFont.Measure(label, 1), (int)layout.Y(tick) - 3, label, Rgb.Black);
        }
        canvas.Text(ChartLayout.Left + (layout.PlotWidth - PixelFont.Measure(ChartLayout.XLabel, 1)) / 2, ChartLayout.Height - 14, ChartLayout.XLabel, Rgb.Black);
        canvas.Text(4, ChartLayout.Top - 12, ChartLayout.YLabel, Rgb.Grey);
        for (int x = 0; x < layout.PlotWidth; x += 10)
        {
            // Dashed threshold line.
            canvas.Line(ChartLayout.Left + x, layout.Y(threshold), ChartLayout.Left + Math.Min(x + 6, layout.PlotWidth), layout.Y(threshold), Rgb.Grey);
        }
        for (int i = 0; i < curves.Count; i++)
        {
            FillBand(canvas, layout, curves[i].Points, Rgb.White.Mix(ChartLayout.Colour(i), 0.18));
        }
        for (int i = 0; i < curves.Count; i++)
        {
            var colour = ChartLayout.Colour(i);
            var points = curves[i].Points;
            for (int k = 1; k < points.Count; k++)
            {
                canvas.Line(layout.X(points[k - 1].FractionDone), layout.Y(points[k - 1].Mean), layout.X(points[k].FractionDone), layout.Y(points[k].Mean), colour, 2);
            }
            foreach (var p in points)
            {
                canvas.Fill((int)layout.X(p.FractionDone) - 2, (int)layout.Y(p.Mean) - 2, 5, 5, colour);
            }
            int legendX = ChartLayout.Left + layout.PlotWidth + 14, legendY = ChartLayout.Top + 10 + i * 18;
            canvas.Fill(legendX, legendY - 1, 20, 3, colour);
            canvas.Text(legendX + 26, legendY - 3, Canvas.Fit(curves[i].Label, ChartLayout.Right - 44), Rgb.Black);
        }
        int thresholdLegendY = ChartLayout.Top + 10 + curves.Count * 18;
        canvas.Line(ChartLayout.Left + layout.PlotWidth + 14, thresholdLegendY, ChartLayout.Left + layout.PlotWidth + 34, thresholdLegendY, Rgb.Grey);
        canvas.Text(ChartLayout.Left + layout.PlotWidth + 40, thresholdLegendY - 3, "threshold " + ChartLayout.Format(threshold), Rgb.Black);
        // Frame last, over the bands.
        canvas.Line(ChartLayout.Left, ChartLayout.Top, ChartLayout.Left, ChartLayout.Top + layout.PlotHeight, Rgb.Black);
        canvas.Line(ChartLayout.Left, ChartLayout.Top + layout.PlotHeight, ChartLayout.Left + layout.PlotWidth, ChartLayout.Top + layout.PlotHeight, Rgb.Black);
        return canvas.ToImage();
    }

    // The ±1 std band, column by column, interpolated between the curve's points.
    private static void FillBand(Canvas canvas, ChartLayout layout, IReadOnlyList<CurvePoint> points, Rgb colour)
    {
        for (int k = 1; k < points.Count; k++)
        {
            var (a, b) = (points[k - 1], points[k]);
            int x0 = (int)Math.Round(layout.X(a.FractionDone)), x1 = (int)Math.Round(layout.X(b.FractionDone));
            for (int x = x0; x <= x1; x++)
            {
                double t = x1 == x0 ? 0 : (x - x0) / (double)(x1 - x0);
                double mean = a.Mean + (b.Mean - a.Mean) * t, std = a.StandardDeviation + (b.StandardDeviation - a.StandardDeviation) * t;
                int top = (int)layout.Y(mean + std), bottom = (int)layout.Y(Math.Max(0, mean - std));
                canvas.Fill(x, top, 1, bottom - top + 1, colour);
            }
        }
    }

    private static string Point(ChartLayout layout, double fraction, double value) => $"{Number(layout.X(fraction))},{Number(layout.Y(value))}";
}
