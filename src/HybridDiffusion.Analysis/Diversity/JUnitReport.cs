using System.Xml.Linq;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Writes a diversity outcome as JUnit XML, which CI systems (GitHub Actions reporters, GitLab, Azure Pipelines,
/// Jenkins) display as tests: one suite per metric (and one for FID and KID against a reference set), one test case
/// per group, a failure per missed threshold, and an error per group that could not be measured.
/// </summary>
public static class JUnitReport
{
    public static void Write(string path, DiversityOutcome outcome) => Save(path, ToXml(outcome));

    /// <summary>Writes a JUnit document whole (a temporary file, then moved into place).</summary>
    internal static void Save(string path, XDocument document) =>
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(document.ToString(SaveOptions.None)));

    public static XDocument ToXml(DiversityOutcome outcome)
    {
        var suites = outcome.Reports.GroupBy(r => r.Metric).Select(metric =>
        {
            string suiteName = "diversity." + metric.Key.ToString().ToLowerInvariant();
            return Suite(suiteName, metric.Select(r => new XElement("testcase",
                new XAttribute("classname", suiteName),
                new XAttribute("name", r.Group),
                new XAttribute("time", "0"),
                r.Failures.Select(f => new XElement("failure", new XAttribute("message", f), new XAttribute("type", "DiversityBelowMinimum"), f)),
                new XElement("system-out", Summary(r)))).ToList());
        }).ToList();
        if (outcome.Distributions.Count > 0)
        {
            const string suiteName = "diversity.distribution";
            suites.Add(Suite(suiteName, outcome.Distributions.Select(d => new XElement("testcase",
                new XAttribute("classname", suiteName),
                new XAttribute("name", d.Group),
                new XAttribute("time", "0"),
                d.Failures.Select(f => new XElement("failure", new XAttribute("message", f), new XAttribute("type", "DistributionAboveMaximum"), f)),
                new XElement("system-out", Summary(d)))).ToList()));
        }
        return Document("diversity", suites, outcome.Problems);
    }

    /// <summary>
    /// The whole document of a gate named <paramref name="verb"/>: its suites, then a suite "<paramref name="verb"/>.errors"
    /// with an error per problem (an input or group that could not be measured).
    /// </summary>
    internal static XDocument Document(string verb, List<XElement> suites, IReadOnlyList<HybridDiffusionException> problems)
    {
        if (problems.Count > 0)
        {
            suites.Add(Suite(verb + ".errors", problems.Select(p => new XElement("testcase",
                new XAttribute("classname", verb + ".errors"),
                new XAttribute("name", p.Target ?? "input"),
                new XAttribute("time", "0"),
                new XElement("error", new XAttribute("message", p.Message), new XAttribute("type", p.Kind.ToString()), p.Message))).ToList()));
        }
        var root = new XElement("testsuites",
            new XAttribute("name", "hybrid " + verb),
            new XAttribute("tests", suites.Sum(s => (int)s.Attribute("tests")!)),
            new XAttribute("failures", suites.Sum(s => (int)s.Attribute("failures")!)),
            new XAttribute("errors", suites.Sum(s => (int)s.Attribute("errors")!)),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    internal static XElement Suite(string name, List<XElement> cases) => new("testsuite",
        new XAttribute("name", name),
        new XAttribute("tests", cases.Count),
        new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
        new XAttribute("errors", cases.Count(c => c.Element("error") is not null)),
        new XAttribute("time", "0"),
        cases);

    private static string Summary(DistributionReport d) => FormattableString.Invariant(
        $"count={d.Count} reference_count={d.ReferenceCount} dimension={d.Dimension} fid={(d.Fid is double fid ? fid.ToString("F4", CultureInfo.InvariantCulture) : "n/a")} ") +
        (d.Kid is double kid ? FormattableString.Invariant($"kid={kid:F6} kid_std={d.KidStandardDeviation:F6}") : "kid=n/a");

    private static string Summary(DiversityReport r)
    {
        var text = FormattableString.Invariant(
            $"count={r.Count} mean={r.Mean:F4} std={r.StandardDeviation:F4} ci{r.ConfidenceLevel * 100:F0}=[{r.ConfidenceLow:F4}, {r.ConfidenceHigh:F4}] vendi={r.Vendi:F4}");
        return r.Comparison is { } c
            ? text + FormattableString.Invariant($" ratio_to_{c.ReferenceGroup}={c.Ratio:F4} separated={c.Separated}")
            : text;
    }
}
