using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using HybridDiffusion.Analysis.Adherence;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Adherence;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Studies;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// A study's prompt adherence per prompt × setting: the figures `hybrid adherence` gives for the same images, the same
/// summary bytes however the study is sharded, the gate failing the JUnit and `hybrid study merge` (exit 3), bad
/// settings refused by their JSON path, and the study hash untouched for studies without adherence.
/// </summary>
public sealed class StudyAdherenceTests : IDisposable
{
    private const string Prompt = "a red circle";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void HybridStaysOnThePromptWhereCadsLeavesItAndTheSummaryIsTheSameBytesForOneShardOrTwo()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, Study(new JsonObject { ["demo"] = true })));
        StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = study, OutputDirectory = _folder["whole"] });
        for (int index = 0; index < 2; index++)
        {
            StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = study, OutputDirectory = _folder[$"shard{index}"], Shard = new ShardSpec(index, 2) });
        }

        var summary = Merge("report", "whole").Summary;

        Assert.Equal(new[] { "cads", "hybrid" }, summary.Adherence.Select(a => a.Setting));
        for (int s = 0; s < 2; s++)
        {
            var (prompt, setting, adherence) = summary.Adherence[s];
            var expected = AdherenceOf(Path.Combine(_folder["whole"], StudyLayout.GroupFolder(study, 0, s)));
            Assert.Equal(Prompt, prompt);
            Assert.Equal(AdherenceMeasure.DemoScene, adherence.Measure);
            Assert.Equal(study.SeedCount, adherence.Count);
            Assert.Equal(expected.Mean, adherence.Mean);
            Assert.Equal(expected.StandardDeviation, adherence.StandardDeviation);
            Assert.True(adherence.Passed);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{Prompt},{setting},adherence,{study.SeedCount},{adherence.Mean:R},{adherence.StandardDeviation:R},,,,"),
                File.ReadAllLines(_folder["report/summary.csv"]));
        }
        // Every hybrid image shows the red circle; CADS's annealed condition lets its images drift off the prompt (none of these 16 stays on it).
        Assert.Equal(1.0, summary.Adherence[1].Adherence.Mean);
        Assert.True(summary.Adherence[0].Adherence.Mean < 0.5, $"CADS adherence {summary.Adherence[0].Adherence.Mean}");
        Assert.Equal(summary.Adherence.Select(a => (a.Setting, 1, a.Adherence.Mean)),
            summary.SettingAdherence.Select(a => (a.Setting, a.Prompts, a.MeanAdherence)));
        Assert.Equal(File.ReadAllBytes(_folder["report/summary.json"]), File.ReadAllBytes(Path.Combine(Merge("sharded", "shard1", "shard0").ReportDirectory, "summary.json")));
        var read = StudySummaryFile.Read(_folder["report/summary.json"]);
        Assert.Equal(summary.Adherence.Select(a => a.Adherence.Mean), read.Adherence.Select(a => a.Adherence.Mean));
        var cases = XDocument.Load(_folder["report/junit.xml"]).Descendants("testcase").Where(c => (string)c.Attribute("name")! == $"{Prompt} [adherence]").ToList();
        Assert.Equal(new[] { "study.adherence.cads", "study.adherence.hybrid" }, cases.Select(c => (string)c.Attribute("classname")!));
        Assert.All(cases, c => Assert.Null(c.Element("failure")));
        Assert.Contains("Prompt adherence", File.ReadAllText(_folder["report/report.html"]));
    }

    [Fact]
    public void ASettingBelowTheMinimumAdherenceFailsTheJUnitAndTheMerge()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, Study(new JsonObject { ["demo"] = true, ["minimumAdherence"] = 0.9 })));
        StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = study, OutputDirectory = _folder["results"] });

        var summary = Merge("report", "results").Summary;

        Assert.Equal(new[] { false, true }, summary.Adherence.Select(a => a.Adherence.Passed));
        var failure = Assert.Single(summary.Adherence[0].Adherence.Failures);
        Assert.StartsWith($"'cads on \"{Prompt}\"': mean adherence ", failure);
        Assert.EndsWith("is below the minimum 0.9.", failure);
        var suite = XDocument.Load(_folder["report/junit.xml"]).Descendants("testsuite").Single();
        Assert.Equal(1, (int)suite.Attribute("failures")!);
        var failed = suite.Elements("testcase").Single(c => c.Element("failure") is not null);
        Assert.Equal(("study.adherence.cads", $"{Prompt} [adherence]", "adherence"),
            ((string)failed.Attribute("classname")!, (string)failed.Attribute("name")!, (string)failed.Element("failure")!.Attribute("type")!));
        using var merge = new CliProcess("study", "merge", _folder["results"], "--report", _folder["cli-report"]);
        Assert.Equal(3, merge.WaitForExit());
        Assert.Equal($"hybrid: FAIL: {failure}", Assert.Single(merge.Errors.Split('\n'), l => l.StartsWith("hybrid: FAIL: ", StringComparison.Ordinal)).TrimEnd('\r'));
    }

    public static TheoryData<JsonObject, string> BadAdherence => new()
    {
        { new JsonObject { ["demo"] = true, ["minimum"] = 0.5 }, "$.measure.adherence.minimum is not a key of this object" },
        { new JsonObject { ["demo"] = "yes" }, "$.measure.adherence.demo must be true or false" },
        { new JsonObject { ["demo"] = true, ["minimumAdherence"] = 1.5 }, "$.measure.adherence.minimumAdherence is refused: The minimum adherence must be between 0 and 1" },
        { new JsonObject { ["demo"] = true, ["minimumAdherence"] = "high" }, "$.measure.adherence.minimumAdherence must be a number" },
        { new JsonObject(), "$.measure.adherence.clipImageModel is refused: Name a CLIP image model" },
        { new JsonObject { ["demo"] = true, ["clipTextModel"] = "text.onnx" }, "$.measure.adherence is refused: Choose one measure" },
        { new JsonObject { ["clipImageModel"] = "vision.onnx" }, "$.measure.adherence.clipTextModel is refused: Name the CLIP text model" },
        { new JsonObject { ["clipImageModel"] = "vision.onnx", ["clipTextModel"] = "text.onnx" }, "$.measure.adherence.clipImageModel names '" },
    };

    [Theory]
    [MemberData(nameof(BadAdherence))]
    public void BadAdherenceSettingsAreRefusedNamingTheKeyByItsPath(JsonObject adherence, string expected)
    {
        var error = Assert.Throws<HybridDiffusionException>(() => StudyFile.Read(StudyFixture.Write(_folder, Study(adherence))));

        Assert.Equal(HybridErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AStudyWithoutAdherenceKeepsItsHashAndAdherenceOrItsGateOrItsModelsMakeAnother()
    {
        // What a study without adherence adds to its hash: exactly what it added before the adherence key existed.
        Assert.Equal("""{"metrics":["rms"],"size":128,"trajectories":false,"threshold":0.05,"bootstrapResamples":50,"bootstrapSeed":0}""",
            JsonSerializer.Serialize(StudyFile.Read(StudyFixture.Write(_folder, Study(null), "plain.json")).Measure, StudyJson.Compact()));
        File.WriteAllText(_folder["vision.onnx"], "vision a");
        File.WriteAllText(_folder["text.onnx"], "text a");
        var clip = new JsonObject { ["clipImageModel"] = "vision.onnx", ["clipTextModel"] = "text.onnx" };
        var studies = new[]
        {
            Study(null), Study(new JsonObject { ["demo"] = true }), Study(new JsonObject { ["demo"] = true, ["minimumAdherence"] = 0.5 }), Study(clip),
        };
        var hashes = studies.Select((study, i) => StudyHash.Compute(StudyFile.Read(StudyFixture.Write(_folder, study, $"study{i}.json")))).ToList();
        File.WriteAllText(_folder["text.onnx"], "text b");
        hashes.Add(StudyHash.Compute(StudyFile.Read(StudyFixture.Write(_folder, Study(clip.DeepClone().AsObject()), "changed.json"))));

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    private StudyMergeOutcome Merge(string report, params string[] folders) => StudyMerger.Merge(TestEngine.Shared,
        new StudyMergeRequest { Directories = folders.Select(f => _folder[f]).ToArray(), ReportDirectory = _folder[report] },
        demoJudge: _ => DemoAdherenceJudge.Open(DemoPair.Paths));

    private static JsonObject Study(JsonObject? adherence)
    {
        var measure = new JsonObject { ["metrics"] = new JsonArray("rms"), ["bootstrap"] = new JsonObject { ["resamples"] = 50 } };
        if (adherence is not null)
        {
            measure["adherence"] = adherence;
        }
        return new JsonObject
        {
            ["name"] = "adherence",
            ["models"] = new JsonObject { ["base"] = DemoPair.Paths.BaseModel, ["distilled"] = DemoPair.Paths.DistilledModel },
            ["prompts"] = new JsonArray(Prompt),
            ["seeds"] = new JsonObject { ["start"] = 0, ["count"] = 16 },
            ["batchSize"] = 4,
            ["provider"] = "cpu",
            ["settings"] = new JsonArray(
                new JsonObject { ["name"] = "cads", ["mode"] = "distilled", ["cads"] = new JsonObject() },
                new JsonObject { ["name"] = "hybrid", ["mode"] = "hybrid" }),
            ["reference"] = "hybrid",
            ["measure"] = measure,
        };
    }

    // `hybrid adherence --demo` below its syntax, over the group's images (judged against the prompt their metadata holds).
    private static AdherenceReport AdherenceOf(string group)
    {
        var workflow = new AdherenceWorkflow(TestEngine.Shared, new AdherenceRequest { Demo = true }, junitPath: null, _ => DemoAdherenceJudge.Open(DemoPair.Paths));
        Assert.Empty(workflow.AddPaths(new[] { group }));
        var outcome = workflow.Measure();
        Assert.Empty(outcome.Problems);
        return Assert.Single(outcome.Reports);
    }
}
