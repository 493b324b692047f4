using System.Globalization;
using System.Xml.Linq;

namespace HybridDiffusion.Analysis.Pictures;

/// <summary>The few SVG elements the charts are drawn with: numbers rounded for the file, lines and text.</summary>
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
}
