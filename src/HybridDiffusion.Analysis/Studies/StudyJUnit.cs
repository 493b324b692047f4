using System.Xml.Linq;
using HybridDiffusion.Contracts.Adherence;

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
        XElement TestCase(string setting, string name, string output, string? failure, string failureType) => new("testcase",
            new XAttribute("classname", $"study.{summary.Study}.{setting}"),
            new XAttribute("name", name),
            failure is null ? null : new XElement("failure", new XAttribute("message", failure), new XAttribute("type", failureType)),
            new XElement("system-out", output));
        var cases = summary.Rows.Select(row => TestCase(row.Setting, $"{row.Prompt} [{row.Metric.ToString().ToLowerInvariant()}]", Describe(row),
                failures.TryGetValue((row.Prompt, row.Setting, row.Metric), out var failure) ? failure.Message : null, "diversity-drop"))
            .Concat(summary.Distributions.Select(d => TestCase(d.Setting, $"{d.Prompt} [fid, kid]", Describe(d.Distribution),
                d.Distribution.Passed ? null : string.Join(" ", d.Distribution.Failures), "distribution")))
            .Concat(summary.Adherence.Select(a => TestCase(a.Setting, $"{a.Prompt} [adherence]", Describe(a.Adherence),
                a.Adherence.Passed ? null : string.Join(" ", a.Adherence.Failures), "adherence")))
            .ToList();
        int measureFailures = summary.Distributions.Count(d => !d.Distribution.Passed) + summary.Adherence.Count(a => !a.Adherence.Passed);
        var suite = new XElement("testsuite",
            new XAttribute("name", $"study {summary.Study}"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures.Count + measureFailures),
            cases);
        AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).ToString()));
    }

    private static string Describe(DistributionReport distribution) => FormattableString.Invariant(
        $"count {distribution.Count} against {distribution.ReferenceCount} of {distribution.Reference}: FID {distribution.Fid?.ToString("G5", CultureInfo.InvariantCulture) ?? "not computed"}") +
        (distribution.Kid is double kid ? FormattableString.Invariant($", KID {kid:G5} ± {distribution.KidStandardDeviation:G5}") : ", KID not computed (the reference keeps statistics only)");

    private static string Describe(AdherenceReport adherence) => FormattableString.Invariant(
        $"count {adherence.Count}, mean adherence {adherence.Mean:F4} ± {adherence.StandardDeviation:F4} ({adherence.Measure})");

    private static string Describe(StudyRow row)
    {
        var ratio = row.Ratio is double value ? FormattableString.Invariant($", {value:F3}× the reference") : "";
        return FormattableString.Invariant($"count {row.Count}, mean pairwise distance {row.Mean:F4} [{row.ConfidenceLow:F4}, {row.ConfidenceHigh:F4}], Vendi {row.Vendi:F3}") + ratio;
    }
}
