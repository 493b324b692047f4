namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// Compares a merged study with a baseline summary row by row (matched by prompt, setting name and metric, so a study
/// with new models still compares): a row fails when its mean pairwise distance fell below (1 − max drop) of the
/// baseline's and the two 95% bootstrap intervals do not overlap. Rows only one side has are listed, never failed.
/// </summary>
internal static class StudyBaselineGate
{
    public static StudyGateResult Compare(StudySummary current, StudySummary baseline, double maxDrop)
    {
        var old = baseline.Rows.GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
        var failures = new List<StudyGateFailure>();
        foreach (var row in current.Rows)
        {
            if (!old.TryGetValue(Key(row), out var before) || before.Mean <= 0)
            {
                continue;
            }
            double ratio = row.Mean / before.Mean;
            bool apart = row.ConfidenceHigh < before.ConfidenceLow;
            if (ratio < 1 - maxDrop && apart)
            {
                failures.Add(new StudyGateFailure(row.Prompt, row.Setting, row.Metric, before.Mean, row.Mean, ratio,
                    before.ConfidenceLow, before.ConfidenceHigh, row.ConfidenceLow, row.ConfidenceHigh));
            }
        }
        var now = current.Rows.Select(Key).ToHashSet();
        return new StudyGateResult(maxDrop, failures,
            current.Rows.Where(r => !old.ContainsKey(Key(r))).Select(Describe).ToList(),
            baseline.Rows.Where(r => !now.Contains(Key(r))).Select(Describe).ToList());
    }

    private static (string, string, Contracts.Diversity.DiversityMetric) Key(StudyRow row) => (row.Prompt, row.Setting, row.Metric);

    private static string Describe(StudyRow row) => $"'{row.Setting}' on \"{row.Prompt}\" ({row.Metric})";
}
