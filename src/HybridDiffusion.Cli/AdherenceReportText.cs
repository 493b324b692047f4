using HybridDiffusion.Contracts.Adherence;

namespace HybridDiffusion.Cli;

/// <summary>How `hybrid adherence` prints its reports: a table, or one JSON object per prompt (--json).</summary>
internal static class AdherenceReportText
{
    public static string Json(AdherenceReport r) => JsonSerializer.Serialize(new
    {
        group = r.Group,
        measure = MeasureName(r.Measure),
        count = r.Count,
        mean = r.Mean,
        std = r.StandardDeviation,
        minimum = r.MinimumAdherence,
        passed = r.Passed,
        failures = r.Failures,
        images = r.Images.Select(i => new { label = i.Label, score = i.Score, scene = i.Scene }),
    });

    public static string Table(IReadOnlyList<AdherenceReport> reports)
    {
        int groupWidth = Math.Clamp(reports.Select(r => r.Group.Length).DefaultIfEmpty(6).Max(), 6, 40);
        var lines = new List<string> { $"{"Prompt".PadRight(groupWidth)}  {"Measure",-10} {"Count",5} {"Mean",8} {"Std",8}  Gate" };
        foreach (var r in reports)
        {
            string group = r.Group.Length > groupWidth ? r.Group[..(groupWidth - 1)] + "…" : r.Group;
            string gate = r.MinimumAdherence is null ? "" : r.Passed ? "pass" : "FAIL";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{group.PadRight(groupWidth)}  {MeasureName(r.Measure),-10} {r.Count,5} {r.Mean,8:F4} {r.StandardDeviation,8:F4}  {gate}"));
        }
        return TableText.Rows(lines);
    }

    /// <summary>The measure as the CLI names it (also in `hybrid study merge`'s table).</summary>
    public static string MeasureName(AdherenceMeasure measure) => measure == AdherenceMeasure.ClipScore ? "clip-score" : "demo-scene";
}
