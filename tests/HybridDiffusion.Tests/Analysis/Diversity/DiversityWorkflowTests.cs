using System.Xml.Linq;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>
/// The diversity workflow both faces run: settings and destinations checked before any image is read, inputs gathered
/// with a problem for each one that gives no sample, and one outcome (and JUnit report) holding every problem.
/// </summary>
public sealed class DiversityWorkflowTests
{
    private static readonly Lazy<List<GeneratedImage>> s_images = new(() =>
        DemoPair.Generate("a square", GenerationMode.Base, Enumerable.Range(0, 6).Select(i => (long)i)));

    [Fact]
    public void BadSettingsAndPlacesFailBeforeAnyImageIsReadAndNothingIsCreated()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder["plain"], "a file");
        AssertRefused(SettingId.EmbeddingModel, new DiversityRequest { Metrics = new[] { DiversityMetric.Embedding } }, junit: null);
        AssertRefused(SettingId.Size, new DiversityRequest { Metrics = new[] { DiversityMetric.MsSsim }, Size = StructuralSimilarity.MinimumMsSsimSize - 1 }, junit: null);
        AssertRefused(SettingId.PictureDirectory, new DiversityRequest { PictureDirectory = folder["plain"] }, junit: null);
        AssertRefused(SettingId.JUnit, new DiversityRequest(), folder.Path);
        AssertRefused(SettingId.JUnit, new DiversityRequest(), folder["plain/report.xml"]);

        var workflow = new DiversityWorkflow(TestEngine.Shared, new DiversityRequest { PictureDirectory = folder["pictures"] }, folder["reports/junit.xml"]);
        Assert.Equal(folder["reports/junit.xml"], workflow.JUnitPath);
        Assert.False(Directory.Exists(folder["reports"]));
        Assert.False(Directory.Exists(folder["pictures"]));
        var nothing = Assert.Throws<HybridDiffusionException>(() => workflow.Measure());
        Assert.Equal(SettingId.Path, nothing.Setting);
        workflow.WriteJUnit(new DiversityOutcome(Array.Empty<DiversityReport>(), workflow.InputProblems));
        Assert.True(File.Exists(folder["reports/junit.xml"]));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void FoldersWildcardsAndFilesAreReadOnceEachAndEveryInputProblemIsNamed(int count)
    {
        using var folder = WritePngs(count);
        File.WriteAllText(folder["notes.png"], "not an image");
        var workflow = new DiversityWorkflow(TestEngine.Shared, new DiversityRequest(), junitPath: null);

        var problems = workflow.AddPaths(new[] { folder.Path, folder["0.png"], folder["*.png"], folder["missing-*.png"], folder["gone.png"] });

        // The arguments that matched nothing first, in their order; then the unreadable file, once though three arguments name it.
        Assert.Equal(new[] { $"No PNG file matches '{folder["missing-*.png"]}'.", $"No PNG file matches '{folder["gone.png"]}'." },
            problems.Take(2).Select(p => p.Message));
        var unreadable = Assert.Single(problems.Skip(2));
        Assert.Equal(HybridErrorKind.InvalidImage, unreadable.Kind);
        Assert.Contains("notes.png", unreadable.Message);
        Assert.Equal(count, workflow.SampleCount);
        Assert.Equal(problems, workflow.InputProblems);
        Assert.Null(workflow.AddFile(folder["1.png"]));
        Assert.Equal(HybridErrorKind.InvalidImage, workflow.AddFile(folder["notes.png"])?.Kind);
        Assert.Equal(count + 1, workflow.SampleCount);
        Assert.Equal(4, workflow.InputProblems.Count);
    }

    [Fact]
    public void TheOutcomeListsTheInputProblemsFirstAndTheJUnitReportHoldsEveryProblem()
    {
        using var folder = WritePngs(4);
        File.WriteAllText(folder["notes.png"], "not an image");
        var workflow = new DiversityWorkflow(TestEngine.Shared, new DiversityRequest(), folder["out/junit.xml"]);
        workflow.AddPaths(new[] { folder.Path });
        workflow.Add(DemoPair.Generate("a circle", GenerationMode.Base, new long[] { 1 }).Single());

        var outcome = workflow.Measure(new DiversityRecorder());

        var report = Assert.Single(outcome.Reports);
        Assert.Equal(("a square", 4), (report.Group, report.Count));
        Assert.Equal(2, outcome.Problems.Count);
        Assert.Same(workflow.InputProblems.Single(), outcome.Problems[0]);
        Assert.Contains("'a circle' has 1 image", Assert.Single(workflow.MeasurementProblems(outcome)).Message);
        Assert.False(outcome.Passed);
        workflow.WriteJUnit(outcome);
        var errors = XDocument.Load(folder["out/junit.xml"]).Root!.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "diversity.errors");
        Assert.Equal(2, (int)errors.Attribute("errors")!);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void GeneratedImagesAndTheirPngFilesMeasureTheSame(int count)
    {
        // What the module's pipeline of images and the CLI's folder of the same images give must agree.
        using var folder = WritePngs(count);
        var request = new DiversityRequest { Metrics = new[] { DiversityMetric.Rms, DiversityMetric.Ssim } };
        var fromFiles = new DiversityWorkflow(TestEngine.Shared, request, junitPath: null);
        Assert.Empty(fromFiles.AddPaths(new[] { folder.Path }));
        var fromImages = new DiversityWorkflow(TestEngine.Shared, request, junitPath: null);
        foreach (var image in s_images.Value.Take(count))
        {
            fromImages.Add(image);
        }
        static object Figures(DiversityReport r) => (r.Group, r.Metric, r.Count, r.Mean, r.StandardDeviation, r.ConfidenceLow, r.ConfidenceHigh, r.Vendi, r.ClosestPair.Distance);
        var expected = fromImages.Measure().Reports.Select(Figures).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, fromFiles.Measure().Reports.Select(Figures));
    }

    private static void AssertRefused(SettingId setting, DiversityRequest request, string? junit)
    {
        var refusal = Assert.Throws<HybridDiffusionException>(() => new DiversityWorkflow(TestEngine.Shared, request, junit));
        Assert.Equal(HybridErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal(setting, refusal.Setting);
    }

    private static TempFolder WritePngs(int count)
    {
        var folder = new TempFolder();
        foreach (var (image, i) in s_images.Value.Take(count).Select((image, i) => (image, i)))
        {
            File.WriteAllBytes(folder[$"{i}.png"], PngEncoder.Encode(image.Image, image.Metadata()));
        }
        return folder;
    }
}
