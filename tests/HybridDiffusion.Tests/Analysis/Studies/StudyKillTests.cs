using System.Text.Json.Nodes;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts.Requests;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>`hybrid study run` killed with SIGKILL part-way and started again: no duplicate, no half record, no lost unit.</summary>
public sealed class StudyKillTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [LinuxFact]
    public void AShardKilledPartWayAndStartedAgainMakesExactlyTheRest()
    {
        var study = StudyFixture.Small();
        study["prompts"] = new JsonArray("a red circle");
        study["seeds"]!["count"] = 160;
        study["settings"] = new JsonArray(new JsonObject { ["name"] = "base", ["mode"] = "base", ["steps"] = 30 });
        study["measure"] = new JsonObject { ["metrics"] = new JsonArray("rms"), ["bootstrap"] = new JsonObject { ["resamples"] = 100 } };
        var path = StudyFixture.Write(_folder, study);
        var records = _folder["killed/units"];
        int Recorded() => Directory.Exists(records) ? Directory.EnumerateFiles(records, "*.json", SearchOption.AllDirectories).Count() : 0;

        int atKill;
        using (var run = new CliProcess("study", "run", path, "--output", _folder["killed"]))
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (Recorded() == 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
            run.Signal("KILL");
            run.WaitForExit();
            atKill = Recorded();
        }
        Assert.InRange(atKill, 1, 159);
        using (var again = new CliProcess("study", "run", path, "--output", _folder["killed"]))
        {
            Assert.Equal(0, again.WaitForExit());
            Assert.Contains($"160 units, {atKill} already recorded, {160 - atKill} made", again.Output, StringComparison.Ordinal);
        }
        StudyRunner.Run(TestEngine.Shared, new StudyRunRequest { Study = StudyFile.Read(path), OutputDirectory = _folder["whole"] });

        Assert.Equal(160, Recorded());
        Assert.Equal(Summary("whole"), Summary("killed"));
    }

    private string Summary(string folder)
    {
        var report = StudyMerger.Merge(TestEngine.Shared, new StudyMergeRequest { Directories = new[] { _folder[folder] }, ReportDirectory = _folder[folder + "-report"] });
        return File.ReadAllText(Path.Combine(report.ReportDirectory, "summary.json"));
    }
}
