using System.Net;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// report.html: Table 2 (settings averaged over prompts), the gate, the charts, every prompt × setting row with its
/// contact sheet, and when measured FID/KID and prompt adherence (per setting over prompts, and per prompt × setting).
/// </summary>
internal static class StudyReportPage
{
    public const string Name = "report.html";

    public static string Write(string folder, StudyDefinition study, StudySummary summary, StudyGateResult? gate,
        IReadOnlyList<(string Title, string File)> charts, IReadOnlyDictionary<(int Prompt, int Setting), string> sheets, int missing,
        IReadOnlyList<string> duplicated)
    {
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{E(summary.Study)}</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
            .Append("td:first-child,th:first-child,td.l{text-align:left}.fail{background:#fdd}</style></head><body>")
            .Append($"<h1>Study {E(summary.Study)}</h1><p>Study hash {summary.StudyHash[..12]}; {summary.Prompts} prompt(s) × {study.Settings.Count} setting(s) × ")
            .Append($"{summary.SeedsPerPrompt} seeds; reference setting <b>{E(summary.Reference)}</b>. Intervals: {summary.ConfidenceLevel:P0} percentile bootstrap over images, ")
            .Append($"{summary.BootstrapResamples} resamples, seed {summary.BootstrapSeed}. <a href=\"{StudySummaryFile.Name}\">summary.json</a>, ")
            .Append($"<a href=\"{StudyCsv.Name}\">summary.csv</a>, <a href=\"{StudyJUnit.Name}\">junit.xml</a>, <a href=\"{StudyTimings.Name}\">timings.json</a>.</p>");
        if (missing > 0 || duplicated.Count > 0)
        {
            html.Append($"<p class=\"fail\">{missing} unit(s) missing; {duplicated.Count} recorded in several folders.</p>");
        }
        html.Append("<h2>Settings averaged over prompts (Table 2)</h2><table><tr><th>setting</th><th>metric</th><th>prompts</th><th>mean pairwise distance</th><th>Vendi</th><th>× reference</th></tr>");
        foreach (var row in summary.Settings)
        {
            html.Append(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{E(row.Setting)}</td><td class=\"l\">{row.Metric}</td><td>{row.Prompts}</td><td>{row.MeanDistance:F4}</td><td>{row.MeanVendi:F3}</td><td>{(row.MeanRatio is double r ? r.ToString("F3", CultureInfo.InvariantCulture) : "")}</td></tr>"));
        }
        html.Append("</table>");
        if (gate is not null)
        {
            html.Append($"<h2>Baseline gate (largest drop {gate.MaxDrop:P0})</h2><p>{(gate.Passed ? "Passed." : $"{gate.Failures.Count} row(s) failed:")}</p><ul>");
            html.Append(string.Concat(gate.Failures.Select(f => $"<li class=\"fail\">{E(f.Message)}</li>"))).Append("</ul>");
            foreach (var (title, list) in new[] { ("New rows (not in the baseline)", gate.NewRows), ("Rows only in the baseline", gate.MissingRows) })
            {
                if (list.Count > 0)
                {
                    html.Append($"<p>{title}:</p><ul>{string.Concat(list.Select(r => $"<li>{E(r)}</li>"))}</ul>");
                }
            }
        }
        html.Append("<h2>Charts</h2>");
        foreach (var (title, file) in charts)
        {
            html.Append($"<figure><img src=\"{E(file)}\" alt=\"{E(title)}\"><figcaption>{E(title)}</figcaption></figure>");
        }
        html.Append("<h2>Prompts × settings</h2><table><tr><th>prompt</th><th>setting</th><th>metric</th><th>count</th><th>mean</th><th>interval</th><th>Vendi</th><th>× reference</th><th>contact sheet</th></tr>");
        var failed = (gate?.Failures ?? Array.Empty<StudyGateFailure>()).Select(f => (f.Prompt, f.Setting, f.Metric)).ToHashSet();
        var promptIndex = study.Prompts.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var settingIndex = study.Settings.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i);
        foreach (var row in summary.Rows)
        {
            var sheet = sheets.TryGetValue((promptIndex[row.Prompt], settingIndex[row.Setting]), out var file) ? $"<a href=\"{E(file)}\">sheet</a>" : "";
            html.Append(string.Create(CultureInfo.InvariantCulture,
                $"<tr{(failed.Contains((row.Prompt, row.Setting, row.Metric)) ? " class=\"fail\"" : "")}><td>{E(row.Prompt)}</td><td class=\"l\">{E(row.Setting)}</td><td class=\"l\">{row.Metric}</td><td>{row.Count}</td>" +
                $"<td>{row.Mean:F4}</td><td>[{row.ConfidenceLow:F4}, {row.ConfidenceHigh:F4}]</td><td>{row.Vendi:F3}</td><td>{(row.Ratio is double r ? r.ToString("F3", CultureInfo.InvariantCulture) : "")}</td><td>{sheet}</td></tr>"));
        }
        html.Append("</table>");
        if (summary.Distributions.Count > 0)
        {
            html.Append("<h2>Distance to the reference set (FID, KID)</h2><table><tr><th>prompt</th><th>setting</th><th>count</th><th>FID</th><th>KID</th><th>KID std</th></tr>");
            foreach (var (prompt, setting, d) in summary.Distributions)
            {
                html.Append(GroupRow(prompt, setting, d.Count, d.Failures))
                    .Append(string.Create(CultureInfo.InvariantCulture, $"<td>{d.Fid:G5}</td><td>{d.Kid:G5}</td><td>{d.KidStandardDeviation:G5}</td></tr>"));
            }
            html.Append("</table>");
        }
        if (summary.Adherence.Count > 0)
        {
            html.Append($"<h2>Prompt adherence ({summary.Adherence[0].Adherence.Measure})</h2><table><tr><th>setting</th><th>prompts</th><th>mean adherence</th></tr>");
            foreach (var row in summary.SettingAdherence)
            {
                html.Append(string.Create(CultureInfo.InvariantCulture, $"<tr><td>{E(row.Setting)}</td><td>{row.Prompts}</td><td>{row.MeanAdherence:F4}</td></tr>"));
            }
            html.Append("</table><table><tr><th>prompt</th><th>setting</th><th>count</th><th>mean</th><th>std</th></tr>");
            foreach (var (prompt, setting, a) in summary.Adherence)
            {
                html.Append(GroupRow(prompt, setting, a.Count, a.Failures))
                    .Append(string.Create(CultureInfo.InvariantCulture, $"<td>{a.Mean:F4}</td><td>{a.StandardDeviation:F4}</td></tr>"));
            }
            html.Append("</table>");
        }
        html.Append("</body></html>");
        var path = Path.Combine(folder, Name);
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(html.ToString()));
        return path;
    }

    // A gated group's row up to its count: a failed gate marks the row and says why in its tooltip.
    private static string GroupRow(string prompt, string setting, int count, IReadOnlyList<string> failures) =>
        $"<tr{(failures.Count == 0 ? "" : $" class=\"fail\" title=\"{E(string.Join(" ", failures))}\"")}><td>{E(prompt)}</td><td class=\"l\">{E(setting)}</td><td>{count}</td>";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
