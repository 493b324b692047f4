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
        int groupWidth = GroupWidth(reports.Select(r => r.Group));
        var lines = new List<string>
        {
            $"{"Group".PadRight(groupWidth)}  {"Metric",-9} {"Count",5} {"Mean",8} {"Std",8} {"95% interval",-19} {"Vendi",7}  Closest pair",
        };
        foreach (var r in reports)
        {
            var group = GroupCell(r.Group, groupWidth);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{group}  {r.Metric,-9} {r.Count,5} {r.Mean,8:F4} {r.StandardDeviation,8:F4} [{r.ConfidenceLow:F4}, {r.ConfidenceHigh:F4}] {r.Vendi,7:F3}  {r.ClosestPair.First} ~ {r.ClosestPair.Second} ({r.ClosestPair.Distance:F4})");
            if (r.Comparison is { } c)
            {
                var ratio = c.Ratio is double value ? value.ToString("F3", CultureInfo.InvariantCulture) + "×" : "n/a (reference mean is 0) ×";
                line += $"  {ratio} '{c.ReferenceGroup}'{(c.Separated ? " (intervals separate)" : "")}";
            }
            lines.Add(line);
        }
        return Rows(lines);
    }

    /// <summary>The width of a table's group column: the longest name, within 5 to 40 characters.</summary>
    internal static int GroupWidth(IEnumerable<string> groups) => Math.Clamp(groups.Select(g => g.Length).DefaultIfEmpty(5).Max(), 5, 40);

    /// <summary>
    /// A table's lines as printed: a cell's text comes from files (a PNG's prompt or text key, a file name, a study, a
    /// .fidstats header), so every control character in a line is written as an escape and none can colour the terminal
    /// or start a line that reads like one of ours.
    /// </summary>
    internal static string Rows(IEnumerable<string> lines) => string.Join(Environment.NewLine, lines.Select(MessageText.Printable));

    /// <summary>A group's name padded to the column, or cut with ".." when longer.</summary>
    internal static string GroupCell(string group, int width) => group.Length > width ? group[..(width - 2)] + ".." : group.PadRight(width);
}
