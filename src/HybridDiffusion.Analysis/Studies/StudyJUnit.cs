using System.Xml.Linq;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// junit.xml: one test case per prompt × setting × metric, failed where the baseline gate failed it; with a reference
/// set, one per prompt × setting for FID and KID, failed above the study's maximums or where FID could not be computed;
/// with adherence judged, one per prompt × setting for it, failed below the study's minimum.
/// </summary>
internal static class StudyJUnit
{
    public const string Name = "junit.xml";

    public static void Write(string path, StudySummary summary, StudyGateResult? gate)
    {
        var failures = (gate?.Failures ?? Array.Empty<StudyGateFailure>()).ToDictionary(f => (f.Prompt, f.Setting, f.Metric));
        var cases = summary.Rows.Select(row =>
        {
            var testCase = new XElement("testcase",
                new XAttribute("classname", $"study.{summary.Study}.{row.Setting}"),
                new XAttribute("name", $"{row.Prompt} [{row.Metric.ToString().ToLowerInvariant()}]"),
                new XElement("system-out", Describe(row)));
            if (failures.TryGetValue((row.Prompt, row.Setting, row.Metric), out var failure))
            {
                testCase.AddFirst(new XElement("failure", new XAttribute("message", failure.Message), new XAttribute("type", "diversity-drop")));
            }
            return testCase;
        }).ToList();
        int distributionFailures = 0;
        foreach (var (prompt, setting, distribution) in summary.Distributions)
        {
            var testCase = new XElement("testcase",
                new XAttribute("classname", $"study.{summary.Study}.{setting}"),
                new XAttribute("name", $"{prompt} [fid, kid]"),
                new XElement("system-out", Describe(distribution)));
            if (!distribution.Passed)
            {
                distributionFailures++;
                testCase.AddFirst(new XElement("failure", new XAttribute("message", string.Join(" ", distribution.Failures)), new XAttribute("type", "distribution")));
            }
            cases.Add(testCase);
        }
        int adherenceFailures = 0;
        foreach (var (prompt, setting, adherence) in summary.Adherence)
        {
            var testCase = new XElement("testcase",
                new XAttribute("classname", $"study.{summary.Study}.{setting}"),
                new XAttribute("name", $"{prompt} [adherence]"),
                new XElement("system-out", FormattableString.Invariant(
                    $"count {adherence.Count}, mean adherence {adherence.Mean:F4} ± {adherence.StandardDeviation:F4} ({adherence.Measure})")));
            if (!adherence.Passed)
            {
                adherenceFailures++;
                testCase.AddFirst(new XElement("failure", new XAttribute("message", string.Join(" ", adherence.Failures)), new XAttribute("type", "adherence")));
            }
            cases.Add(testCase);
        }
        var suite = new XElement("testsuite",
            new XAttribute("name", $"study {summary.Study}"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures.Count + distributionFailures + adherenceFailures),
            cases);
        AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).ToString()));
    }

    private static string Describe(DistributionReport distribution) => FormattableString.Invariant(
        $"count {distribution.Count} against {distribution.ReferenceCount} of {distribution.Reference}: FID {distribution.Fid?.ToString("G5", CultureInfo.InvariantCulture) ?? "not computed"}") +
        (distribution.Kid is double kid ? FormattableString.Invariant($", KID {kid:G5} ± {distribution.KidStandardDeviation:G5}") : ", KID not computed (the reference keeps statistics only)");

    private static string Describe(StudyRow row)
    {
        var ratio = row.Ratio is double value ? FormattableString.Invariant($", {value:F3}× the reference") : "";
        return FormattableString.Invariant($"count {row.Count}, mean pairwise distance {row.Mean:F4} [{row.ConfidenceLow:F4}, {row.ConfidenceHigh:F4}], Vendi {row.Vendi:F3}") + ratio;
    }
}
