using System.Text.Json;
using System.Text.Json.Nodes;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Contracts.Studies;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// Studies on the demo pair: the merged summary does not depend on the sharding, the folders' order or re-runs; a run
/// stopped part-way makes exactly the rest; damaged records are redone; another study's folder is refused; the
/// baseline gate fails a less diverse setting by name.
/// </summary>
public sealed class StudyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void TheSummaryIsTheSameBytesForOneShardOrThreeInAnyOrderAndAfterAReRun()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        Run(study, "whole", ShardSpec.Whole);
        var whole = MergedSummary("whole");

        foreach (int index in new[] { 2, 0, 1 })
        {
            Run(study, $"shard{index}", new ShardSpec(index, 3));
        }
        // A shard run again (into its own folder, and into another shard's) changes nothing.
        var rerun = Run(study, "shard1", new ShardSpec(1, 3));
        Run(study, "shard0", new ShardSpec(2, 3));
        Assert.Equal(0, rerun.Made);
        Assert.Equal(rerun.Units, rerun.AlreadyDone);

        Assert.Equal(whole, MergedSummary("shard1", "shard0", "shard2"));
        Assert.Equal(whole, MergedSummary("shard2", "shard1", "shard0"));
        // The same units in one shared folder, written by three shards.
        foreach (int index in new[] { 1, 2, 0 })
        {
            Run(study, "shared", new ShardSpec(index, 3));
        }
        Assert.Equal(whole, MergedSummary("shared"));
    }

    [Fact]
    public void ShardsTakeWholeBatchesAndTogetherEveryUnitOnce()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        var outcomes = Enumerable.Range(0, 3).Select(i => Run(study, "shared", new ShardSpec(i, 3))).ToList();

        Assert.Equal(48, outcomes.Sum(o => o.Units));
        var status = StudyStatusReader.Read(TestEngine.Shared, new StudyStatusRequest { Study = study, OutputDirectory = _folder["shared"], ShardCount = 3 });
        Assert.Equal((48L, 48L), (status.Done, status.Total));
        Assert.Equal(outcomes.Select(o => (long)o.Units), status.Shards.Select(s => s.Total));
        // Every record says which batch size made it: the study's, never a shard's remainder.
        var batchSizes = Directory.EnumerateFiles(_folder["shared"], "*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "study.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!["batchSize"]!.GetValue<int>())
            .ToList();
        Assert.Equal(48, batchSizes.Count);
        Assert.All(batchSizes, size => Assert.Contains(size, new[] { 4, 2 }));
    }

    [Fact]
    public void ARunStoppedPartWayMakesExactlyTheRestWhenStartedAgain()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        Run(study, "reference", ShardSpec.Whole);
        var expected = MergedSummary("reference");

        // Stopped after its 9th unit: the third batch is part-written.
        using var stop = new CancellationTokenSource();
        var observer = new StudyObserver(p =>
        {
            if (p.Done == 9)
            {
                stop.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => StudyRunner.Run(TestEngine.Shared,
            new StudyRunRequest { Study = study, OutputDirectory = _folder["stopped"] }, observer, stop.Token));
        var resumed = Run(study, "stopped", ShardSpec.Whole);

        Assert.Equal(9, resumed.AlreadyDone);
        Assert.Equal(48 - 9, resumed.Made);
        Assert.Equal(expected, MergedSummary("stopped"));
    }

    [Fact]
    public void ADamagedRecordIsRedoneWithAWarning()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        Run(study, "results", ShardSpec.Whole);
        var expected = MergedSummary("results");
        var records = Directory.EnumerateFiles(_folder["results"], "*.json", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "study.json").Order().ToList();
        // A record cut short by a crash, and an image that lost its tail.
        File.WriteAllText(records[3], File.ReadAllText(records[3])[..40]);
        var image = Path.ChangeExtension(records[10], ".png");
        File.WriteAllBytes(image, File.ReadAllBytes(image)[..100]);

        var observer = new StudyObserver(_ => { });
        var outcome = StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = study, OutputDirectory = _folder["results"] }, observer);

        Assert.Equal(2, outcome.Redone);
        Assert.Equal(46, outcome.AlreadyDone);
        Assert.Contains(observer.Warnings, w => w.Contains(records[3], StringComparison.Ordinal) && w.Contains("damaged", StringComparison.Ordinal));
        Assert.Contains(observer.Warnings, w => w.Contains(records[10], StringComparison.Ordinal) && w.Contains("image", StringComparison.Ordinal));
        Assert.Equal(expected, MergedSummary("results"));
    }

    [Fact]
    public void ARecordThatPointsAtAnotherUnitsImageOrLacksWhatTheStudyMeasuresIsRedone()
    {
        var (study, expected, group) = RunWhole();
        // Seed 1's record made to describe seed 0's image (a sound image with the hash it names), and seed 2's x̂0 curve
        // cut to a point without its distance.
        var seed0 = JsonNode.Parse(File.ReadAllText(Path.Combine(group, "0.json")))!;
        var seed1 = JsonNode.Parse(File.ReadAllText(Path.Combine(group, "1.json")))!;
        seed1["image"] = seed0["image"]!.GetValue<string>();
        seed1["imageSha256"] = seed0["imageSha256"]!.GetValue<string>();
        File.WriteAllText(Path.Combine(group, "1.json"), seed1.ToJsonString());
        var seed2 = JsonNode.Parse(File.ReadAllText(Path.Combine(group, "2.json")))!;
        seed2["trajectory"] = new JsonArray(new JsonArray(0.5));
        File.WriteAllText(Path.Combine(group, "2.json"), seed2.ToJsonString());

        var observer = new StudyObserver(_ => { });
        var outcome = StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = study, OutputDirectory = _folder["results"] }, observer);

        Assert.Equal((2L, 2L), (outcome.Redone, outcome.Made));
        Assert.Contains(observer.Warnings, w => w.Contains("1.json", StringComparison.Ordinal) && w.Contains("another unit", StringComparison.Ordinal));
        Assert.Contains(observer.Warnings, w => w.Contains("2.json", StringComparison.Ordinal) && w.Contains("trajectory", StringComparison.Ordinal));
        Assert.Equal(expected, MergedSummary("results"));
    }

    [Fact]
    public void AUnitRecordedInTwoFoldersIsMergedFromTheCopyWhoseImageIsSound()
    {
        var (study, expected, group) = RunWhole();
        Run(study, "again", ShardSpec.Whole);
        // The first folder named holds a copy whose image lost its tail after it was recorded.
        var image = Path.Combine(group, "0.png");
        File.WriteAllBytes(image, File.ReadAllBytes(image)[..100]);

        var merged = Merge("report", "results", "again");

        Assert.Equal(48, merged.DuplicatedUnits.Count);
        Assert.Equal(expected, File.ReadAllText(Path.Combine(merged.ReportDirectory, "summary.json")));
    }

    [Fact]
    public void StatusDoesNotCountAnEmptyRecord()
    {
        var (study, _, group) = RunWhole();
        File.WriteAllBytes(Path.Combine(group, "0.json"), Array.Empty<byte>());

        var status = StudyStatusReader.Read(TestEngine.Shared, new StudyStatusRequest { Study = study, OutputDirectory = _folder["results"] });

        Assert.Equal((47L, 48L), (status.Done, status.Total));
    }

    public static TheoryData<string, Action<JsonNode>, string> DamagedManifests => new()
    {
        { "negative seed count", m => m["study"]!["seedCount"] = -5, "$.seeds.count must be at least 2" },
        { "billions of seeds", m => m["study"]!["seedCount"] = int.MaxValue, "$.seeds.count must be at most 100,000" },
        { "seeds past the largest", m => m["study"]!["seedStart"] = long.MaxValue - 2, "$.seeds runs past the largest seed" },
        { "no prompts", m => m["study"]!["prompts"] = null, "$.prompts holds no prompt" },
        { "a null prompt", m => m["study"]!["prompts"]![1] = null, "$.prompts[1] must be a string" },
        { "no settings", m => m["study"]!["settings"] = new JsonArray(), "$.settings is empty" },
        { "a null setting", m => m["study"]!["settings"]![0] = null, "$.settings[0] is incomplete" },
        { "unknown reference", m => m["study"]!["reference"] = "nope", "$.reference names no setting: 'nope'" },
        { "no measure", m => m["study"]!["measure"] = null, "$.measure must be an object" },
        { "no bootstrap", m => m["study"]!["measure"]!["bootstrapResamples"] = 0, "$.measure " },
        { "no size", m => m["study"]!["measure"]!["size"] = 0, "$.measure " },
        { "no study", m => m["study"] = null, "is not a study manifest" },
    };

    [Theory]
    [MemberData(nameof(DamagedManifests))]
    public void AResultsFolderWhoseStudyJsonIsDamagedIsRefusedByStatusRunAndMerge(string what, Action<JsonNode> damage, string expected)
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        Run(study, "results", new ShardSpec(0, 8));
        var manifest = Path.Combine(_folder["results"], "study.json");
        var node = JsonNode.Parse(File.ReadAllText(manifest))!;
        damage(node);
        File.WriteAllText(manifest, node.ToJsonString());

        foreach (var refused in new Func<object>[]
        {
            () => Merge("report", "results"),
            () => StudyMerger.Merge(TestEngine.Shared, new StudyMergeRequest { Directories = new[] { _folder["results"] }, ReportDirectory = _folder["report"], AllowIncomplete = true }),
            () => StudyStatusReader.Read(TestEngine.Shared, new StudyStatusRequest { Study = study, OutputDirectory = _folder["results"], ShardCount = 1 }),
            () => Run(study, "results", ShardSpec.Whole),
        })
        {
            var error = Assert.Throws<HybridDiffusionException>(refused);
            Assert.Equal(HybridErrorKind.InvalidArgument, error.Kind);
            Assert.True(error.Message.Contains(expected, StringComparison.Ordinal) && error.Message.Contains(manifest, StringComparison.Ordinal), $"{what}: {error.Message}");
        }
        Assert.False(Directory.Exists(_folder["report"]));
    }

    [Fact]
    public void SeedsThatEndAtTheLargestSeedAreAllMadeAndMerged()
    {
        var small = StudyFixture.Small();
        small["seeds"] = new JsonObject { ["start"] = long.MaxValue - 5, ["count"] = 6 };
        var study = StudyFile.Read(StudyFixture.Write(_folder, small));

        var outcome = Run(study, "results", ShardSpec.Whole);
        var merged = Merge("report", "results", "results" + Path.DirectorySeparatorChar);

        Assert.Equal((48L, 48L), (outcome.Units, outcome.Made));
        Assert.Equal(0, merged.MissingCount);
        Assert.Empty(merged.DuplicatedUnits);   // the same folder named twice is read once
        Assert.All(merged.Summary.Rows, row => Assert.Equal(6, row.Count));
        Assert.True(File.Exists(Path.Combine(Directory.GetDirectories(_folder["results/units"]).First(), $"{long.MaxValue}.png")));
    }

    [Fact]
    public void ABaselineWithoutRowsIsRefusedAsNotASummary()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        Run(study, "results", ShardSpec.Whole);
        var summary = JsonNode.Parse(MergedSummary("results"))!;
        summary["rows"] = null;
        File.WriteAllText(_folder["baseline.json"], summary.ToJsonString());

        var error = Assert.Throws<HybridDiffusionException>(() => StudyMerger.Merge(TestEngine.Shared,
            new StudyMergeRequest { Directories = new[] { _folder["results"] }, ReportDirectory = _folder["report"], Baseline = _folder["baseline.json"] }));
        Assert.Equal(SettingId.Baseline, error.Setting);
        Assert.Contains("is not a study summary.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWriteThatFailsMidRunLeavesNoHalfRecordAndTheUnitIsMadeByTheNextRun()
    {
        var (study, expected, group) = RunWhole();
        File.Delete(Path.Combine(group, "1.json"));
        File.Delete(Path.Combine(group, "1.png"));
        // The record cannot be put in place (as when the disk fills up between the image and its record).
        Directory.CreateDirectory(Path.Combine(group, "1.json"));

        var error = Assert.Throws<HybridDiffusionException>(() => Run(study, "results", ShardSpec.Whole));
        Assert.Equal(HybridErrorKind.IOFailure, error.Kind);
        Assert.Empty(Directory.GetFiles(group, ".*.tmp"));
        Directory.Delete(Path.Combine(group, "1.json"));
        var again = Run(study, "results", ShardSpec.Whole);

        Assert.Equal((47, 1), (again.AlreadyDone, again.Made));
        Assert.Equal(expected, MergedSummary("results"));
    }

    [Fact]
    public void AFolderOfAnotherStudyIsRefused()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        Run(study, "results", ShardSpec.Whole);
        var changed = StudyFixture.Small();
        changed["batchSize"] = 3;
        var other = StudyFile.Read(StudyFixture.Write(_folder, changed, "changed.json"));

        var error = Assert.Throws<HybridDiffusionException>(() => Run(other, "results", ShardSpec.Whole));
        Assert.Equal(SettingId.OutputDirectory, error.Setting);
        Assert.Contains("another study", error.Message, StringComparison.Ordinal);
        // Merging folders of two studies is refused too.
        Run(other, "other", ShardSpec.Whole);
        var merge = Assert.Throws<HybridDiffusionException>(() => StudyMerger.Merge(TestEngine.Shared, new StudyMergeRequest
        {
            Directories = new[] { _folder["results"], _folder["other"] },
            ReportDirectory = _folder["report"],
        }));
        Assert.Contains("one study only", merge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMergeNamesMissingUnitsAndRefusesUnlessAskedToMergeWhatIsThere()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        Run(study, "part", new ShardSpec(0, 3));

        var error = Assert.Throws<HybridDiffusionException>(() => Merge("report", "part"));
        Assert.Contains("'base' on \"a red circle\" seed 4", error.Message, StringComparison.Ordinal);
        var outcome = StudyMerger.Merge(TestEngine.Shared, new StudyMergeRequest { Directories = new[] { _folder["part"] }, ReportDirectory = _folder["report"], AllowIncomplete = true });
        Assert.Equal(48 - 18, outcome.MissingCount);
    }

    [Fact]
    public void TheBaselineGateFailsALessDiverseSettingByNameAndListsNewRows()
    {
        // Last release: "candidate" was the base model. Now "candidate" is the collapsed distilled model.
        // Sixteen seeds: with six, a base group's interval can reach 0 (a resample of near-alike images) and overlap anything.
        var before = StudyFixture.Small();
        before["seeds"]!["count"] = 16;
        before["settings"]!.AsArray().Add(new JsonObject { ["name"] = "candidate", ["mode"] = "base", ["steps"] = 10 });
        Run(StudyFile.Read(StudyFixture.Write(_folder, before, "before.json")), "before", ShardSpec.Whole);
        var baseline = Merge("baseline", "before");
        var after = StudyFixture.Small();
        after["seeds"]!["count"] = 16;
        after["settings"]!.AsArray().Add(new JsonObject { ["name"] = "candidate", ["mode"] = "distilled" });
        after["settings"]!.AsArray().Add(new JsonObject { ["name"] = "newcomer", ["mode"] = "base", ["steps"] = 5 });
        Run(StudyFile.Read(StudyFixture.Write(_folder, after, "after.json")), "after", ShardSpec.Whole);

        var outcome = StudyMerger.Merge(TestEngine.Shared, new StudyMergeRequest
        {
            Directories = new[] { _folder["after"] },
            ReportDirectory = _folder["report"],
            Baseline = Path.Combine(baseline.ReportDirectory, "summary.json"),
            MaxDrop = 0.05,
        });

        var gate = outcome.Gate!;
        Assert.False(gate.Passed);
        Assert.Equal(new[] { "candidate" }, gate.Failures.Select(f => f.Setting).Distinct());
        Assert.Equal(2 * 2, gate.Failures.Count);
        Assert.All(gate.Failures, f => Assert.Contains("'candidate'", f.Message, StringComparison.Ordinal));
        Assert.Equal(2 * 2, gate.NewRows.Count);
        Assert.All(gate.NewRows, r => Assert.Contains("'newcomer'", r, StringComparison.Ordinal));
        Assert.Empty(gate.MissingRows);
        var junit = File.ReadAllText(Path.Combine(outcome.ReportDirectory, "junit.xml"));
        Assert.Contains("failures=\"4\"", junit, StringComparison.Ordinal);
        // The unchanged settings pass against their own earlier figures.
        Assert.DoesNotContain(gate.Failures, f => f.Setting != "candidate");
    }

    [Fact]
    public void TheSummaryHoldsTable2RatiosAndTheCommitmentCurves()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        Run(study, "results", ShardSpec.Whole);
        var outcome = Merge("report", "results");
        var summary = outcome.Summary;

        Assert.Equal(new[] { "base", "distilled", "hybrid baseGuidance=0", "hybrid baseGuidance=5" }, summary.Settings.Select(s => s.Setting).Distinct());
        Assert.All(summary.Rows.Where(r => r.Setting == "base"), r => Assert.Null(r.Ratio));
        Assert.All(summary.Rows.Where(r => r.Setting != "base"), r => Assert.NotNull(r.Ratio));
        var distilled = summary.Settings.Single(s => s.Setting == "distilled" && s.Metric == HybridDiffusion.Contracts.Diversity.DiversityMetric.Rms);
        var reference = summary.Settings.Single(s => s.Setting == "base" && s.Metric == HybridDiffusion.Contracts.Diversity.DiversityMetric.Rms);
        Assert.True(distilled.MeanDistance < reference.MeanDistance, "the demo's distilled model collapses");
        Assert.Equal(4, summary.Curves.Count);
        Assert.All(new[] { "summary.csv", "junit.xml", "timings.json", "report.html", "charts/commitment.svg" },
            f => Assert.True(File.Exists(Path.Combine(outcome.ReportDirectory, f)), f));
        Assert.Single(Directory.GetFiles(Path.Combine(outcome.ReportDirectory, "charts"), "sweep-hybrid-baseguidance-rms.svg"));
        Assert.Equal(2 * 4, Directory.GetFiles(Path.Combine(outcome.ReportDirectory, "sheets")).Length);
        var csv = File.ReadAllBytes(Path.Combine(outcome.ReportDirectory, "summary.csv"));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csv[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + summary.Rows.Count, lines.Length);
        Assert.StartsWith("prompt,setting,metric,count,mean", lines[0], StringComparison.Ordinal);
        // Model calls per image: one per step, two per guided step (hybrid's base step at guidance 5).
        Assert.Equal(new Dictionary<string, double> { ["base"] = 10, ["distilled"] = 4, ["hybrid baseGuidance=0"] = 4, ["hybrid baseGuidance=5"] = 5 },
            MeanModelCalls(outcome.ReportDirectory));
    }

    // A setting may carry the diversity methods the faces take (cads, conditionNoise, guidanceInterval): its images are
    // made with them, its plan says so, the interval's saved model calls show in timings.json, and the hash changes.
    [Fact]
    public void SettingsCarryTheDiversityMethods()
    {
        var definition = StudyFixture.Small();
        definition["prompts"] = new JsonArray("a red circle");
        definition["seeds"]!["count"] = 2;
        definition["settings"] = new JsonArray(
            new JsonObject { ["name"] = "base", ["mode"] = "base", ["steps"] = 10, ["baseGuidance"] = 5 },
            new JsonObject { ["name"] = "base interval", ["mode"] = "base", ["steps"] = 10, ["baseGuidance"] = 5,
                ["guidanceInterval"] = new JsonObject { ["low"] = 0.28, ["high"] = 5.42 } },
            new JsonObject { ["name"] = "cads", ["mode"] = "distilled", ["cads"] = new JsonObject { ["tau1"] = 0.5 } },
            new JsonObject { ["name"] = "noise", ["mode"] = "distilled", ["conditionNoise"] = new JsonObject { ["strength"] = 0.2 } });
        var study = StudyFile.Read(StudyFixture.Write(_folder, definition));
        Assert.Equal(new ConditionAnnealing { Tau1 = 0.5 }, study.Settings[2].Settings.Annealing);
        Assert.Equal(new ConditioningNoise { Strength = 0.2 }, study.Settings[3].Settings.ConditioningNoise);
        Assert.Equal(new GuidanceInterval(0.28, 5.42), study.Settings[1].Settings.GuidanceInterval);
        var without = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small(), "other.json"));
        Assert.NotEqual(StudyHash.Compute(without with { Settings = study.Settings.Take(1).ToList() }),
            StudyHash.Compute(without with { Settings = study.Settings.Skip(1).Take(1).ToList() }));

        Run(study, "results", ShardSpec.Whole);
        var outcome = Merge("report", "results");
        // The paper's SDXL interval holds the σ of 4 of the demo's 10 DDIM steps (t 401 to 101): 4 × 2 + 6 × 1 calls.
        Assert.Equal(new Dictionary<string, double> { ["base"] = 20, ["base interval"] = 14, ["cads"] = 4, ["noise"] = 4 }, MeanModelCalls(outcome.ReportDirectory));
    }

    private static Dictionary<string, double> MeanModelCalls(string reportDirectory)
    {
        using var timings = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(reportDirectory, "timings.json")));
        return timings.RootElement.GetProperty("settings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("setting").GetString()!, s => s.GetProperty("meanModelCalls").GetDouble());
    }

    // A setting may carry sliders, as --slider and Add-ConceptSlider do: its images change and say so, the study's hash
    // follows the slider file's content, and a slider entry is checked like every other key.
    [Fact]
    public void ASettingsSlidersChangeItsImagesAndTheStudysHash()
    {
        var slider = _folder["cool.safetensors"];
        File.Copy(DemoPair.Paths.WarmthSlider, slider);
        JsonObject Study(JsonNode sliders) => new()
        {
            ["models"] = new JsonObject { ["base"] = DemoPair.Paths.BaseModel, ["distilled"] = DemoPair.Paths.DistilledModel },
            ["prompts"] = new JsonArray("a red circle"),
            ["seeds"] = new JsonObject { ["count"] = 2 },
            ["provider"] = "cpu",
            ["settings"] = new JsonArray(
                new JsonObject { ["name"] = "plain", ["mode"] = "hybrid" },
                new JsonObject { ["name"] = "cool", ["mode"] = "hybrid", ["sliders"] = sliders }),
            ["reference"] = "plain",
        };
        var study = StudyFile.Read(StudyFixture.Write(_folder, Study(new JsonArray(new JsonObject { ["file"] = "cool.safetensors", ["strength"] = -2 }))));
        Assert.Equal(new SliderSpec(slider, -2f), study.Settings.Single(s => s.Name == "cool").Sliders.Single());
        var outcome = Run(study, "sliders", ShardSpec.Whole);
        Assert.Equal(4, outcome.Made);

        var records = Directory.EnumerateFiles(_folder["sliders"], "*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "study.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .ToLookup(r => r["setting"]!.GetValue<string>(), r => Path.Combine(_folder["sliders"], r["image"]!.GetValue<string>()));
        foreach (var (plain, cool) in records["plain"].Order().Zip(records["cool"].Order()))
        {
            var (plainPng, coolPng) = (PngDecoder.Decode(plain), PngDecoder.Decode(cool));
            Assert.NotEqual(plainPng.Image.GetPixels(), coolPng.Image.GetPixels());
            Assert.Contains(coolPng.Text, t => t.Value.Contains("cool.safetensors"));
        }

        var hash = StudyHash.Compute(study);
        File.AppendAllText(slider, " ");
        Assert.NotEqual(hash, StudyHash.Compute(study));

        var misspelt = Assert.Throws<HybridDiffusionException>(() => StudyFile.Read(StudyFixture.Write(_folder,
            Study(new JsonArray(new JsonObject { ["file"] = "cool.safetensors", ["strenght"] = 1 })))));
        Assert.Contains("$.settings[1].sliders[0].strength", misspelt.Message);
        var missing = Assert.Throws<HybridDiffusionException>(() => StudyFile.Read(StudyFixture.Write(_folder,
            Study(new JsonArray(new JsonObject { ["file"] = "none.safetensors", ["strength"] = 1 })))));
        Assert.Contains("$.settings[1].sliders[0].file", missing.Message);
        Assert.Equal(HybridErrorKind.InvalidArgument, missing.Kind);
    }

    // The small study run whole into "results", its merged summary, and its first prompt × setting folder of units.
    private (StudyDefinition Study, string Summary, string FirstGroup) RunWhole()
    {
        var study = StudyFile.Read(StudyFixture.Write(_folder, StudyFixture.Small()));
        Run(study, "results", ShardSpec.Whole);
        return (study, MergedSummary("results"), Directory.GetDirectories(_folder["results/units"]).Order(StringComparer.Ordinal).First());
    }

    private StudyRunOutcome Run(StudyDefinition study, string folder, ShardSpec shard) =>
        StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = study, OutputDirectory = _folder[folder], Shard = shard });

    private StudyMergeOutcome Merge(string report, params string[] folders) =>
        StudyMerger.Merge(TestEngine.Shared, new StudyMergeRequest { Directories = folders.Select(f => _folder[f]).ToArray(), ReportDirectory = _folder[report] });

    private string MergedSummary(params string[] folders)
    {
        var report = "report-" + Guid.NewGuid().ToString("N");
        return File.ReadAllText(Path.Combine(Merge(report, folders).ReportDirectory, "summary.json"));
    }

    private sealed class StudyObserver(Action<StudyProgress> onProgress) : IStudyObserver
    {
        public List<string> Warnings { get; } = new();

        public void OnProgress(StudyProgress progress) => onProgress(progress);

        public void Verbose(string message)
        {
        }

        public void Warning(string message) => Warnings.Add(message);
    }
}
