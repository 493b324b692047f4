using System.Globalization;
using System.Text.Json;
using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Cli;

/// <summary>How `hybrid diversity` prints FID and KID against a reference set: a table, or one JSON object per group (--json).</summary>
internal static class DistributionReportText
{
    public static string Json(DistributionReport d) => JsonSerializer.Serialize(new
    {
        group = d.Group,
        metric = "distribution",
        count = d.Count,
        reference = d.Reference,
        referenceCount = d.ReferenceCount,
        dimension = d.Dimension,
        fid = d.Fid,
        kid = d.Kid,
        kidStd = d.KidStandardDeviation,
        kidSubsets = d.KidSubsets,
        kidSubsetSize = d.KidSubsetSize,
        passed = d.Passed,
        failures = d.Failures,
    });

    public static string Table(IReadOnlyList<DistributionReport> reports)
    {
        int groupWidth = Math.Clamp(reports.Select(r => r.Group.Length).DefaultIfEmpty(5).Max(), 5, 40);
        var lines = new List<string> { $"{"Group".PadRight(groupWidth)}  {"Count",5} {"Ref",6} {"FID",10} {"KID ± std",-21}  Reference" };
        foreach (var d in reports)
        {
            var group = d.Group.Length > groupWidth ? d.Group[..(groupWidth - 2)] + ".." : d.Group.PadRight(groupWidth);
            var fid = d.Fid is double value ? value.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
            var kid = d.Kid is double k ? string.Create(CultureInfo.InvariantCulture, $"{k:F5} ± {d.KidStandardDeviation:F5}") : "n/a (statistics)";
            lines.Add($"{group}  {d.Count,5} {d.ReferenceCount,6} {fid,10} {kid,-21}  {d.Reference}");
        }
        return string.Join(Environment.NewLine, lines);
    }
}
