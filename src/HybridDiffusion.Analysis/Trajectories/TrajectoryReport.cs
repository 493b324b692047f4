using System.Net;
using HybridDiffusion.Contracts.Trajectories;

namespace HybridDiffusion.Analysis.Trajectories;

/// <summary>
/// A self-contained HTML page: the commitment chart inline as SVG, the commitment table, and every grid embedded as a
/// PNG data URI. The only link points at the chart's PNG next to the page.
/// </summary>
internal static class TrajectoryReport
{
    public static string Html(string title, TrajectorySummary summary, string chartSvg, IReadOnlyList<(string Caption, byte[] Png)> grids, string? chartPngFileName)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}")
            .Append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append("figure{margin:1em 0}img{max-width:100%;image-rendering:pixelated}</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n")
            .Append("<p>x̂0 is the clean image each step predicts. A model has committed to its picture once x̂0 stays close to the final image.</p>\n")
            .Append("<h2>Commitment</h2>\n").Append(chartSvg).Append('\n');
        if (chartPngFileName is not null)
        {
            html.Append("<p><a href=\"").Append(Encode(chartPngFileName)).Append("\">The chart as PNG</a></p>\n");
        }
        html.Append("<table>\n<tr><th>mode</th><th>runs</th><th>threshold</th><th>fraction of steps (mean curve)</th><th>fraction of steps (mean over runs)</th></tr>\n");
        foreach (var c in summary.Commitments)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(c.Label)}</td><td>{c.Runs}</td><td>{c.Threshold:0.###}</td><td>{c.MeanCurveFraction:0.###}</td><td>{c.MeanRunFraction:0.###}</td></tr>\n");
        }
        html.Append("</table>\n<h2>Steps</h2>\n");
        foreach (var (caption, png) in grids)
        {
            html.Append("<figure><img alt=\"").Append(Encode(caption)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png))
                .Append("\"><figcaption>").Append(Encode(caption)).Append("</figcaption></figure>\n");
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
