using System.Text.Json;
using System.Text.Json.Nodes;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts.Requests;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>`hybrid study status` and `merge` as CI jobs see them: JSON on stdout, exit 1 for missing units, exit 3 and a FAIL line naming the setting for the gate.</summary>
public sealed class StudyCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void StatusPrintsOneJsonObjectAndMergeExitsOneWhileUnitsAreMissing()
    {
        var path = StudyFixture.Write(_folder, StudyFixture.Small());
        StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = StudyFile.Read(path), OutputDirectory = _folder["results"], Shard = new ShardSpec(2, 3) });

        using var status = new CliProcess("study", "status", path, "--output", _folder["results"], "--shard-count", "3", "--json");
        Assert.Equal(0, status.WaitForExit());
        var json = JsonNode.Parse(status.Output)!;
        Assert.Equal(16, json["done"]!.GetValue<long>());
        Assert.Equal(48, json["total"]!.GetValue<long>());
        Assert.Equal(new long[] { 0, 0, 16 }, json["shards"]!.AsArray().Select(s => s!["done"]!.GetValue<long>()));
        Assert.Equal(64, json["studyHash"]!.GetValue<string>().Length);

        using var merge = new CliProcess("study", "merge", _folder["results"], "--report", _folder["report"]);
        Assert.Equal(1, merge.WaitForExit());
        Assert.Contains("32 unit(s) of study", merge.Errors, StringComparison.Ordinal);
        using var incomplete = new CliProcess("study", "merge", _folder["results"], "--report", _folder["report"], "--allow-incomplete");
        Assert.Equal(0, incomplete.WaitForExit());
    }

    [Fact]
    public void ASettingTheEngineRefusesEndsTheRunWithExitTwoBeforeAnyUnitIsMade()
    {
        // The interval is refused only on the models' plans (base has no guided segment): the last setting, checked
        // before the first setting's units are made.
        var study = StudyFixture.Small();
        study["settings"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "base interval", ["mode"] = "base", ["steps"] = 10,
            ["guidanceInterval"] = new JsonObject { ["low"] = 0.28, ["high"] = 5.42 },
        });
        var path = StudyFixture.Write(_folder, study);

        using var run = new CliProcess("study", "run", path, "--output", _folder["results"]);

        Assert.Equal(2, run.WaitForExit());
        Assert.Contains("guidance interval", run.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder["results"]), "the results folder was written");
    }

    [Fact]
    public void TheGateExitsThreeNamingTheSettingThatLostDiversity()
    {
        var before = StudyFixture.Small();
        before["seeds"]!["count"] = 16;
        before["settings"]!.AsArray().Add(new JsonObject { ["name"] = "candidate", ["mode"] = "base", ["steps"] = 10 });
        var after = JsonNode.Parse(before.ToJsonString())!.AsObject();
        after["settings"]![3]!["mode"] = "distilled";
        StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = StudyFile.Read(StudyFixture.Write(_folder, before, "before.json")), OutputDirectory = _folder["before"] });
        StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = StudyFile.Read(StudyFixture.Write(_folder, after, "after.json")), OutputDirectory = _folder["after"] });
        using (var baseline = new CliProcess("study", "merge", _folder["before"], "--report", _folder["baseline"]))
        {
            Assert.Equal(0, baseline.WaitForExit());
        }

        using var gate = new CliProcess("study", "merge", _folder["after"], "--report", _folder["report"], "--baseline", _folder["baseline/summary.json"], "--max-drop", "0.05");

        Assert.Equal(3, gate.WaitForExit());
        var failures = gate.Errors.Split('\n').Where(l => l.StartsWith("hybrid: FAIL: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, failures.Count);
        Assert.All(failures, f => Assert.Contains("'candidate'", f, StringComparison.Ordinal));
        // The new summary can be the next baseline: against itself, nothing fails.
        using var itself = new CliProcess("study", "merge", _folder["after"], "--report", _folder["again"], "--baseline", _folder["report/summary.json"]);
        Assert.Equal(0, itself.WaitForExit());
        Assert.Equal(File.ReadAllText(_folder["report/summary.json"]), File.ReadAllText(_folder["again/summary.json"]));
    }
}
