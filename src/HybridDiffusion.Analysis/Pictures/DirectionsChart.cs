using System.Xml.Linq;
using static HybridDiffusion.Analysis.Pictures.SvgElements;

namespace HybridDiffusion.Analysis.Pictures;

/// <summary>
/// The variation-directions chart of one prompt: for each of the base set's top directions, a bar per set (the base
/// first) of its variance along that direction as a share of the base's total variance, so the base's spectrum and each
/// other set's activation of it stand side by side.
/// </summary>
internal static class DirectionsChart
{
    public const string XLabel = "base set's principal direction";
    public const string YLabel = "variance / base total variance";

    /// <param name="sets">Each set's label and its value per direction, the base first; every set has one value per direction.</param>
    public static string Svg(string title, IReadOnlyList<(string Label, IReadOnlyList<double> Shares)> sets)
    {
        int directions = sets[0].Shares.Count;
        var layout = new ChartLayout(sets.SelectMany(s => s.Shares).DefaultIfEmpty(0).Max());
        XNamespace ns = "http://www.w3.org/2000/svg";
        var svg = Chart(ns, title);
        svg.Add(YGrid(ns, layout));
        double slot = layout.PlotWidth / (double)directions, bar = slot * 0.8 / sets.Count;
        for (int k = 0; k < directions; k++)
        {
            double start = ChartLayout.Left + k * slot + slot * 0.1;
            svg.Add(Text(ns, start + slot * 0.4, ChartLayout.Height - ChartLayout.Bottom + 16, (k + 1).ToString(CultureInfo.InvariantCulture), "middle"));
            for (int s = 0; s < sets.Count; s++)
            {
                double top = layout.Y(sets[s].Shares[k]);
                svg.Add(new XElement(ns + "rect", new XAttribute("x", Number(start + s * bar)), new XAttribute("y", Number(top)),
                    new XAttribute("width", Number(bar)), new XAttribute("height", Number(ChartLayout.Top + layout.PlotHeight - top)),
                    new XAttribute("fill", ChartLayout.Colour(s).ToHex())));
            }
        }
        svg.Add(new XElement(ns + "rect", new XAttribute("x", ChartLayout.Left), new XAttribute("y", ChartLayout.Top),
            new XAttribute("width", layout.PlotWidth), new XAttribute("height", layout.PlotHeight), new XAttribute("fill", "none"), new XAttribute("stroke", "#444")));
        svg.Add(AxisLabels(ns, layout, XLabel, YLabel));
        for (int s = 0; s < sets.Count; s++)
        {
            svg.Add(LegendEntry(ns, layout, s, ChartLayout.Colour(s).ToHex(), sets[s].Label));
        }
        return new XDocument(svg).ToString();
    }
}
