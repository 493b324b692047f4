using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Studies;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// A study's FID and KID per prompt × setting against its reference set: the figures `hybrid diversity --reference`
/// gives for the same images, the gates failing the study's JUnit and `hybrid study merge` (exit 3), and the study hash untouched for studies without one.
/// </summary>
public sealed class StudyDistributionTests : IDisposable
{
    // More seeds than the demo embedding's 64 features, so each group's covariance has full rank.
    private const int Seeds = DemoEmbedding.Dimensions + 8;
    private const string Prompt = "a red circle";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void EachGroupsFidAndKidAreThoseOfDiversityWithTheSameReferenceAndTheGatesFailTheJUnit()
    {
        var reference = WriteReference();
        var definition = StudyFile.Read(StudyFixture.Write(_folder, Study("reference", maximumFid: 1e-4, maximumKid: 1)));
        StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = definition, OutputDirectory = _folder["results"] });

        var summary = StudyMerger.Merge(TestEngine.Shared, new StudyMergeRequest { Directories = new[] { _folder["results"] }, ReportDirectory = _folder["report"] }).Summary;

        Assert.Equal(new[] { "base", "distilled" }, summary.Distributions.Select(d => d.Setting));
        var csv = File.ReadAllLines(_folder["report/summary.csv"]);
        for (int s = 0; s < 2; s++)
        {
            var (prompt, setting, distribution) = summary.Distributions[s];
            var expected = DiversityOf(Path.Combine(_folder["results"], StudyLayout.GroupFolder(definition, 0, s)), reference);
            Assert.Equal(Prompt, prompt);
            Assert.Equal(Seeds, distribution.Count);
            Assert.Equal(Seeds, distribution.ReferenceCount);
            Assert.Equal(expected.Fid, distribution.Fid);
            Assert.Equal(expected.Kid, distribution.Kid);
            Assert.Equal(expected.KidStandardDeviation, distribution.KidStandardDeviation);
            Assert.Equal("reference", distribution.Reference);
            // The base model's images are near its reference (FID about 1e-6 here); the distilled model's collapse is not.
            Assert.Equal(s == 1, !distribution.Passed);
            Assert.All(distribution.Failures, failure => Assert.StartsWith($"Group '{setting} on \"{Prompt}\"': FID ", failure));
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{Prompt},{setting},fid,{Seeds},{distribution.Fid:R},,,,,"), csv);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{Prompt},{setting},kid,{Seeds},{distribution.Kid:R},{distribution.KidStandardDeviation:R},,,,"), csv);
        }
        Assert.Single(summary.Distributions[1].Distribution.Failures);
        Assert.Equal(summary.Distributions, StudySummaryFile.Read(_folder["report/summary.json"]).Distributions, new DistributionRowsEqual());
        var suite = XDocument.Load(_folder["report/junit.xml"]).Descendants("testsuite").Single();
        var cases = suite.Elements("testcase").Where(c => (string)c.Attribute("name")! == $"{Prompt} [fid, kid]").ToList();
        Assert.Equal(new[] { "study.fid.base", "study.fid.distilled" }, cases.Select(c => (string)c.Attribute("classname")!));
        Assert.Null(cases[0].Element("failure"));
        Assert.Equal("distribution", (string)cases[1].Element("failure")!.Attribute("type")!);
        Assert.Equal(1, (int)suite.Attribute("failures")!);
        Assert.Contains("FID, KID", File.ReadAllText(_folder["report/report.html"]));
        using var merge = new CliProcess("study", "merge", _folder["results"], "--report", _folder["cli-report"]);
        Assert.Equal(3, merge.WaitForExit());
        var fail = Assert.Single(merge.Errors.Split('\n'), l => l.StartsWith("hybrid: FAIL: ", StringComparison.Ordinal));
        Assert.StartsWith($"hybrid: FAIL: Group 'distilled on \"{Prompt}\"': FID ", fail);
    }

    [Fact]
    public void AStudyWithoutAReferenceKeepsItsHashAndAReferenceOrItsGatesMakeAnother()
    {
        // What a study without a reference adds to its hash: exactly what it added before the reference's keys existed.
        Assert.Equal("""{"metrics":["rms"],"size":128,"trajectories":false,"threshold":0.05,"bootstrapResamples":1000,"bootstrapSeed":0}""",
            JsonSerializer.Serialize(new StudyMeasure(), StudyJson.Compact()));
        File.WriteAllText(_folder["a.fidstats"], "statistics a");
        File.WriteAllText(_folder["b.fidstats"], "statistics b");
        var hashes = new[]
        {
            Study(null), Study("a.fidstats"), Study("b.fidstats"), Study("a.fidstats", maximumFid: 10), Study("a.fidstats", maximumKid: 0.1),
        }.Select((study, i) => StudyHash.Compute(StudyFile.Read(StudyFixture.Write(_folder, study, $"study{i}.json")))).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
        var moved = Study("a.fidstats");
        Directory.CreateDirectory(_folder["elsewhere"]);
        File.Copy(_folder["a.fidstats"], _folder["elsewhere/a.fidstats"]);
        Assert.Equal(hashes[1], StudyHash.Compute(StudyFile.Read(StudyFixture.Write(_folder, moved, "elsewhere/study.json"))));
    }

    private static JsonObject Study(string? reference, double? maximumFid = null, double? maximumKid = null)
    {
        var measure = new JsonObject
        {
            ["metrics"] = new JsonArray("rms"),
            ["embedding"] = new JsonObject { ["model"] = DemoPair.Paths.EmbeddingModel },
            ["bootstrap"] = new JsonObject { ["resamples"] = 50 },
        };
        if (reference is not null)
        {
            measure["reference"] = reference;
        }
        if (maximumFid is not null)
        {
            measure["maximumFid"] = maximumFid;
        }
        if (maximumKid is not null)
        {
            measure["maximumKid"] = maximumKid;
        }
        return new JsonObject
        {
            ["name"] = "fid",
            ["models"] = new JsonObject { ["base"] = DemoPair.Paths.BaseModel, ["distilled"] = DemoPair.Paths.DistilledModel },
            ["prompts"] = new JsonArray(Prompt),
            ["seeds"] = new JsonObject { ["start"] = 0, ["count"] = Seeds },
            ["batchSize"] = 8,
            ["provider"] = "cpu",
            ["settings"] = new JsonArray(new JsonObject { ["name"] = "base", ["mode"] = "base" }, new JsonObject { ["name"] = "distilled", ["mode"] = "distilled" }),
            ["reference"] = "base",
            ["measure"] = measure,
        };
    }

    private string WriteReference()
    {
        var folder = _folder["reference"];
        Directory.CreateDirectory(folder);
        foreach (var image in DemoPair.Generate(Prompt, GenerationMode.Base, Enumerable.Range(10_000, Seeds).Select(i => (long)i)))
        {
            File.WriteAllBytes(Path.Combine(folder, $"{image.Seed}.png"), PngEncoder.Encode(image.Image, image.Metadata()));
        }
        return folder;
    }

    // `hybrid diversity --reference` below its syntax, over the group's images in seed order (the order KID's subsets are drawn in).
    private static DistributionReport DiversityOf(string group, string reference)
    {
        var request = new DiversityRequest { Embedding = new EmbeddingOptions { ModelPath = DemoPair.Paths.EmbeddingModel }, ReferencePath = reference };
        var workflow = new DiversityWorkflow(TestEngine.Shared, request, junitPath: null);
        for (long seed = 0; seed < Seeds; seed++)
        {
            Assert.Null(workflow.AddFile(Path.Combine(group, StudyLayout.ImageName(seed))));
        }
        var outcome = workflow.Measure();
        Assert.Empty(outcome.Problems);
        return Assert.Single(outcome.Distributions);
    }

    private sealed class DistributionRowsEqual : IEqualityComparer<StudyDistributionRow>
    {
        public bool Equals(StudyDistributionRow? x, StudyDistributionRow? y) =>
            x!.Prompt == y!.Prompt && x.Setting == y.Setting && x.Distribution.Fid == y.Distribution.Fid && x.Distribution.Kid == y.Distribution.Kid &&
            x.Distribution.Failures.SequenceEqual(y.Distribution.Failures);

        public int GetHashCode(StudyDistributionRow obj) => obj.Setting.GetHashCode(StringComparison.Ordinal);
    }
}
