namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// summary.csv: one line per prompt × setting × metric (with a reference set, "fid" and "kid" lines too: the figure in
/// mean, KID's spread over subsets in std; with adherence judged, an "adherence" line: mean and std of the images'
/// scores), RFC 4180 quoting, invariant numbers, UTF-8 with a byte-order
/// mark, so pandas.read_csv and Excel open it as it is (Excel needs the mark to read non-ASCII prompts as UTF-8).
/// </summary>
internal static class StudyCsv
{
    public const string Name = "summary.csv";

    public static void Write(string path, StudySummary summary)
    {
        var text = new StringBuilder();
        text.Append("prompt,setting,metric,count,mean,std,ci_low,ci_high,vendi,ratio_to_reference\r\n");
        foreach (var row in summary.Rows)
        {
            text.Append(Quote(row.Prompt)).Append(',').Append(Quote(row.Setting)).Append(',').Append(row.Metric.ToString().ToLowerInvariant())
                .Append(',').Append(row.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var value in new double?[] { row.Mean, row.StandardDeviation, row.ConfidenceLow, row.ConfidenceHigh, row.Vendi, row.Ratio })
            {
                text.Append(',').Append(value?.ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append("\r\n");
        }
        foreach (var (prompt, setting, distribution) in summary.Distributions)
        {
            foreach (var (metric, value, spread) in new[] { ("fid", distribution.Fid, (double?)null), ("kid", distribution.Kid, distribution.KidStandardDeviation) })
            {
                text.Append(Quote(prompt)).Append(',').Append(Quote(setting)).Append(',').Append(metric).Append(',')
                    .Append(distribution.Count.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(value?.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(spread?.ToString("R", CultureInfo.InvariantCulture))
                    .Append(",,,,\r\n");
            }
        }
        foreach (var (prompt, setting, adherence) in summary.Adherence)
        {
            text.Append(Quote(prompt)).Append(',').Append(Quote(setting)).Append(",adherence,")
                .Append(adherence.Count.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(adherence.Mean.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(adherence.StandardDeviation.ToString("R", CultureInfo.InvariantCulture)).Append(",,,,\r\n");
        }
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray());
    }

    private static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 || field.Trim() != field ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
