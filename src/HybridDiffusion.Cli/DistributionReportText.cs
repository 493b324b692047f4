using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Cli;

/// <summary>
/// How `hybrid diversity` prints the distribution metrics: FID and KID against a reference set, the Inception Score and
/// the variation directions, each as a table or one JSON object per group (--json).
/// </summary>
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

    public static string Json(InceptionScoreReport s) => JsonSerializer.Serialize(new
    {
        group = s.Group,
        metric = "inception-score",
        count = s.Count,
        mean = s.Mean,
        std = s.StandardDeviation,
        splits = s.Splits,
        splitSize = s.SplitSize,
    });

    public static string Json(DirectionsReport r) => JsonSerializer.Serialize(new
    {
        group = r.Group,
        metric = "directions",
        prompt = r.Prompt,
        count = r.Count,
        baseGroup = r.BaseGroup,
        baseCount = r.BaseCount,
        directions = r.Directions,
        baseShares = r.BaseShares,
        baseVariances = r.BaseVariances,
        variances = r.Variances,
        relativeVariances = r.RelativeVariances,
        baseFraction = r.BaseFraction,
        fraction = r.Fraction,
        totalVarianceRatio = r.TotalVarianceRatio,
        chart = r.ChartPath,
    });

    /// <summary>One row per prompt and compared set: the shares along the base's top k directions, then the variance relative to the base's, direction by direction.</summary>
    public static string Table(IReadOnlyList<DirectionsReport> reports)
    {
        int promptWidth = TableText.GroupWidth(reports.Select(r => r.Prompt));
        int setWidth = TableText.GroupWidth(reports.Select(r => r.Group).Concat(reports.Select(r => r.BaseGroup)));
        var lines = new List<string>
        {
            $"{"Prompt".PadRight(promptWidth)}  {"Set".PadRight(setWidth)} {"Count",5} {"Base".PadRight(setWidth)} {"k",3} {"Base share",10} {"Share",7} {"Total/base",10}  Variance / base's, per direction",
        };
        lines.AddRange(reports.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{TableText.GroupCell(r.Prompt, promptWidth)}  {TableText.GroupCell(r.Group, setWidth)} {r.Count,5} {TableText.GroupCell(r.BaseGroup, setWidth)} {r.Directions,3} {r.BaseFraction,10:F4} {r.Fraction,7:F4} {r.TotalVarianceRatio,10:F4}  {string.Join(" ", r.RelativeVariances.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}")));
        return TableText.Rows(lines);
    }

    public static string Table(IReadOnlyList<InceptionScoreReport> scores)
    {
        int groupWidth = TableText.GroupWidth(scores.Select(s => s.Group));
        var lines = new List<string> { $"{"Group".PadRight(groupWidth)}  {"Count",5} {"Inception Score",-19}  Splits" };
        lines.AddRange(scores.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{TableText.GroupCell(s.Group, groupWidth)}  {s.Count,5} {$"{s.Mean:F4} ± {s.StandardDeviation:F4}",-19}  {s.Splits} × {s.SplitSize}")));
        return TableText.Rows(lines);
    }

    public static string Table(IReadOnlyList<DistributionReport> reports)
    {
        int groupWidth = TableText.GroupWidth(reports.Select(r => r.Group));
        var lines = new List<string> { $"{"Group".PadRight(groupWidth)}  {"Count",5} {"Ref",6} {"FID",10} {"KID ± std",-21}  Reference" };
        foreach (var d in reports)
        {
            var group = TableText.GroupCell(d.Group, groupWidth);
            var fid = d.Fid is double value ? value.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
            var kid = d.Kid is double k ? string.Create(CultureInfo.InvariantCulture, $"{k:F5} ± {d.KidStandardDeviation:F5}") : "n/a (statistics)";
            lines.Add($"{group}  {d.Count,5} {d.ReferenceCount,6} {fid,10} {kid,-21}  {d.Reference}");
        }
        return TableText.Rows(lines);
    }
}
