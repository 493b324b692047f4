using System.Xml.Linq;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>What a user and a CI job get back: reports, gate failures, comparisons, JUnit XML and pictures.</summary>
public sealed class DiversityReportTests
{
    private static readonly Lazy<List<DiversitySample>> s_samples = new(() =>
        new[] { GenerationMode.Base, GenerationMode.Distilled }
            .SelectMany(m => DemoPair.Generate("a square", m, Enumerable.Range(0, 16).Select(i => (long)i)))
            .Select(DiversitySample.FromGenerated).ToList());

    private static DiversityRequest Request => new() { GroupBy = "Mode" };

    private static DiversityOutcome Measure(DiversityRequest request, IDiversityObserver? observer = null, CancellationToken cancellation = default) =>
        DiversityAnalyzer.Measure(TestEngine.Shared, request, s_samples.Value, observer, cancellation);

    [Fact]
    public void ReportsCarryEveryFigureAndAreReproducible()
    {
        var first = Measure(Request with { IncludeMatrix = true });
        var second = Measure(Request with { IncludeMatrix = true });
        Assert.True(first.Passed);
        var report = first.Reports.Single(r => r.Group == "Base");
        Assert.Equal(16, report.Count);
        Assert.Equal(16, report.Labels.Count);
        Assert.All(new[] { report.Mean, report.StandardDeviation, report.Vendi, report.ConfidenceLow, report.ConfidenceHigh }, v => Assert.True(double.IsFinite(v)));
        Assert.InRange(report.Vendi, 1, 16);
        Assert.True(report.ConfidenceLow <= report.Mean && report.Mean <= report.ConfidenceHigh);
        Assert.Equal(report.ClosestPair.Distance, report.Matrix!.Pairs().Min(p => p.Distance));
        var again = second.Reports.Single(r => r.Group == "Base");
        Assert.Equal((report.Mean, report.ConfidenceLow, report.ConfidenceHigh, report.Vendi, report.ClosestPair),
            (again.Mean, again.ConfidenceLow, again.ConfidenceHigh, again.Vendi, again.ClosestPair));
        Assert.Null(Measure(Request).Reports[0].Matrix);
    }

    [Fact]
    public void GroupsBelowTheMinimumFailTheGateWithGroupFigureAndThreshold()
    {
        var outcome = Measure(Request with { MinimumDistance = 0.1, MinimumVendi = 1.5 });
        var distilled = outcome.Reports.Single(r => r.Group == "Distilled");
        var baseline = outcome.Reports.Single(r => r.Group == "Base");
        Assert.True(baseline.Passed, string.Join("; ", baseline.Failures));
        Assert.False(distilled.Passed);
        Assert.False(outcome.Passed);
        Assert.Contains(distilled.Failures, f => f.Contains("'Distilled'") && f.Contains(distilled.Mean.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)) && f.Contains("0.1000"));
        Assert.Contains(distilled.Failures, f => f.Contains("Vendi") && f.Contains("1.5000"));
    }

    [Fact]
    public void GroupsAreComparedWithTheReferenceGroup()
    {
        var outcome = Measure(Request with { ReferenceGroup = "base" });
        var distilled = outcome.Reports.Single(r => r.Group == "Distilled");
        Assert.Null(outcome.Reports.Single(r => r.Group == "Base").Comparison);
        Assert.Equal("Base", distilled.Comparison!.ReferenceGroup);
        Assert.Equal(distilled.Mean / outcome.Reports.Single(r => r.Group == "Base").Mean, distilled.Comparison.Ratio!.Value, 12);
        Assert.True(distilled.Comparison.Separated);

        var missing = Measure(Request with { ReferenceGroup = "Turbo" });
        Assert.Contains(missing.Problems, p => p.Message.Contains("'Turbo'") && p.Message.Contains("'Base'"));
    }

    [Fact]
    public void JUnitXmlHasASuitePerMetricACasePerGroupAndTheFailures()
    {
        var outcome = Measure(Request with { Metrics = new[] { DiversityMetric.Rms, DiversityMetric.Ssim }, MinimumDistance = 0.1 });
        using var folder = new TempFolder();
        var path = folder["diversity.xml"];
        JUnitReport.Write(path, outcome);
        var root = XDocument.Load(path).Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal(new[] { "diversity.rms", "diversity.ssim" }, root.Elements("testsuite").Select(s => (string)s.Attribute("name")!));
        Assert.Equal(4, (int)root.Attribute("tests")!);
        Assert.Equal(outcome.Reports.Count(r => !r.Passed), (int)root.Attribute("failures")!);
        var failed = root.Descendants("testcase").Single(c => (string)c.Attribute("name")! == "Distilled" && (string)c.Attribute("classname")! == "diversity.rms");
        Assert.Contains("below the minimum", (string)failed.Element("failure")!.Attribute("message")!);
        Assert.Contains("vendi=", (string)failed.Element("system-out")!);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp*"));
    }

    [Fact]
    public void PicturesAreAContactSheetPerGroupAndAHeatmapPerGroupAndMetric()
    {
        using var folder = new TempFolder();
        var outcome = Measure(Request with { PictureDirectory = folder.Path, Metrics = new[] { DiversityMetric.Rms, DiversityMetric.MsSsim } });
        Assert.Equal(
            new[] { "base-contact.png", "base-msssim-heatmap.png", "base-rms-heatmap.png", "distilled-contact.png", "distilled-msssim-heatmap.png", "distilled-rms-heatmap.png" },
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        var report = outcome.Reports.First(r => r.Group == "Base" && r.Metric == DiversityMetric.Rms);
        var sheet = PngDecoder.Decode(report.ContactSheetPath!).Image;
        // 16 thumbnails of 96 px in a 4×4 grid with margins and captions.
        Assert.Equal(8 + 4 * (96 + 8), sheet.Width);
        Assert.Equal(18 + 8 + 4 * (96 + 12 + 8), sheet.Height);
        var heatmap = PngDecoder.Decode(report.HeatmapPath!);
        Assert.Equal(string.Join("\n", report.Labels), heatmap.Text["Labels"]);
        Assert.True(heatmap.Image.Width > 16 * 24 && heatmap.Image.Height > 16 * 24);
    }

    [Fact]
    public void DeclinedPicturesAreNotWritten()
    {
        using var folder = new TempFolder();
        var observer = new DiversityRecorder(allowWrites: false);
        var outcome = Measure(Request with { PictureDirectory = folder.Path }, observer);
        Assert.Empty(Directory.GetFiles(folder.Path));
        Assert.Equal(4, observer.AskedToWrite.Count);
        Assert.All(outcome.Reports, r => Assert.Null(r.ContactSheetPath));
        Assert.NotEmpty(observer.Progress);
        Assert.Equal(100, observer.Progress.Max(p => p.PercentComplete));
    }

    [Fact]
    public void CancellationStopsTheMeasurement()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        using var folder = new TempFolder();
        Assert.ThrowsAny<OperationCanceledException>(() => Measure(Request with { PictureDirectory = folder.Path }, null, cancel.Token));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp*"));
    }
}

internal sealed class DiversityRecorder : IDiversityObserver
{
    private readonly bool _allowWrites;

    public DiversityRecorder(bool allowWrites = true) => _allowWrites = allowWrites;

    public List<DiversityProgress> Progress { get; } = new();

    public List<string> AskedToWrite { get; } = new();

    public List<string> Warnings { get; } = new();

    public void OnProgress(DiversityProgress progress) => Progress.Add(progress);

    public bool ShouldWriteFile(string path)
    {
        AskedToWrite.Add(path);
        return _allowWrites;
    }

    public void Verbose(string message)
    {
    }

    public void Warning(string message) => Warnings.Add(message);
}
