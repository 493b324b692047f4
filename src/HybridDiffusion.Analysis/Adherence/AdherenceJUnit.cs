using System.Xml.Linq;
using HybridDiffusion.Analysis.Diversity;

namespace HybridDiffusion.Analysis.Adherence;

/// <summary>An adherence outcome as JUnit XML, in the diversity gate's form: a test case per prompt group, a failure per missed minimum.</summary>
public static class AdherenceJUnit
{
    public static void Write(string path, AdherenceOutcome outcome) => JUnitReport.Save(path, ToXml(outcome));

    public static XDocument ToXml(AdherenceOutcome outcome)
    {
        var suites = outcome.Reports.GroupBy(r => r.Measure).Select(measure =>
        {
            string suiteName = "adherence." + measure.Key.ToString().ToLowerInvariant();
            return JUnitReport.Suite(suiteName, measure.Select(r => new XElement("testcase",
                new XAttribute("classname", suiteName),
                new XAttribute("name", r.Group),
                new XAttribute("time", "0"),
                r.Failures.Select(f => new XElement("failure", new XAttribute("message", f), new XAttribute("type", "AdherenceBelowMinimum"), f)),
                new XElement("system-out", FormattableString.Invariant($"count={r.Count} mean={r.Mean:F4} std={r.StandardDeviation:F4}")))).ToList());
        }).ToList();
        return JUnitReport.Document("adherence", suites, outcome.Problems);
    }
}
