using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Cli;

/// <summary>How `hybrid diversity` prints its reports: a table, or one JSON object per group and metric (--json).</summary>
internal static class DiversityReportText
{
    public static string Json(DiversityReport r) => JsonSerializer.Serialize(new
    {
        group = r.Group,
        metric = r.Metric.ToString().ToLowerInvariant(),
        count = r.Count,
        mean = r.Mean,
        std = r.StandardDeviation,
        ciLow = r.ConfidenceLow,
        ciHigh = r.ConfidenceHigh,
        confidenceLevel = r.ConfidenceLevel,
        vendi = r.Vendi,
        closestPair = new { first = r.ClosestPair.First, second = r.ClosestPair.Second, distance = r.ClosestPair.Distance },
        passed = r.Passed,
        failures = r.Failures,
        referenceGroup = r.Comparison?.ReferenceGroup,
        ratioToReference = r.Comparison?.Ratio,
        separatedFromReference = r.Comparison?.Separated,
        contactSheet = r.ContactSheetPath,
        heatmap = r.HeatmapPath,
        labels = r.Matrix is null ? null : r.Labels,
        matrix = r.Matrix is null ? null : Enumerable.Range(0, r.Matrix.Count).Select(i => r.Matrix.Row(i).ToArray()).ToArray(),
    });

    public static string Table(IReadOnlyList<DiversityReport> reports)
    {
        int groupWidth = TableText.GroupWidth(reports.Select(r => r.Group));
        var lines = new List<string>
        {
            $"{"Group".PadRight(groupWidth)}  {"Metric",-9} {"Count",5} {"Mean",8} {"Std",8} {"95% interval",-19} {"Vendi",7}  Closest pair",
        };
        foreach (var r in reports)
        {
            var group = TableText.GroupCell(r.Group, groupWidth);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{group}  {r.Metric,-9} {r.Count,5} {r.Mean,8:F4} {r.StandardDeviation,8:F4} [{r.ConfidenceLow:F4}, {r.ConfidenceHigh:F4}] {r.Vendi,7:F3}  {r.ClosestPair.First} ~ {r.ClosestPair.Second} ({r.ClosestPair.Distance:F4})");
            if (r.Comparison is { } c)
            {
                var ratio = c.Ratio is double value ? value.ToString("F3", CultureInfo.InvariantCulture) + "×" : "n/a (reference mean is 0) ×";
                line += $"  {ratio} '{c.ReferenceGroup}'{(c.Separated ? " (intervals separate)" : "")}";
            }
            lines.Add(line);
        }
        return TableText.Rows(lines);
    }
}
