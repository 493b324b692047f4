using HybridDiffusion.Core.Output;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Core.Output;

/// <summary>The stale-temp sweep removes only what this tool can prove it made, and says so under --verbose.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TempSweepTests
{
    private const string DeadPid = "999999999";

    [Fact]
    public async Task AnotherProgramsEntryOfTheSameNamePatternSurvivesARunIntoItsFolder()
    {
        using var output = new TempFolder();
        // Someone else's folder, named like this tool's temporary entries, with a dead pid and two days old.
        var foreign = output[$".X.{DeadPid}-{Guid.NewGuid():N}.tmp"];
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "precious.txt"), "keep me");
        var foreignFile = output[$".notes.{DeadPid}-{Guid.NewGuid():N}.tmp"];
        File.WriteAllText(foreignFile, "keep me too");
        foreach (var entry in new[] { foreign, foreignFile, Path.Combine(foreign, "precious.txt") })
        {
            Directory.SetLastWriteTimeUtc(entry, DateTime.UtcNow.AddDays(-2));
        }

        var (code, _, errors) = await DiversityInputTests.Cli("new-image", "a red circle", "--output", output.Path, "--mode", "distilled", "--steps", "1",
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel);

        Assert.True(code == 0, errors);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(foreign, "precious.txt")));
        Assert.Equal("keep me too", File.ReadAllText(foreignFile));
    }

    [Fact]
    public async Task AKilledWriteOfThisToolIsSweptAndVerboseSaysWhat()
    {
        using var output = new TempFolder();
        var left = KilledWrite(output, "a-red-circle-distilled-0.png", isFolder: false);

        var (code, _, errors) = await DiversityInputTests.Cli("new-image", "a red circle", "--output", output.Path, "--mode", "distilled", "--steps", "1",
            "--verbose", "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel);

        Assert.True(code == 0, errors);
        Assert.False(File.Exists(left));
        Assert.False(File.Exists(left + TempNames.MarkerSuffix));
        Assert.Contains($"Removed '{left}', a temporary file of this tool", errors);
    }

    [Fact]
    public void AMarkerNamingAFileDoesNotSweepAFolderOfThatName()
    {
        using var folder = new TempFolder();
        var left = KilledWrite(folder, "x.png", isFolder: false);
        File.Delete(left);
        Directory.CreateDirectory(left);
        File.WriteAllText(Path.Combine(left, "inside.txt"), "not ours");

        Assert.Equal(0, TempNames.SweepStale(folder.Path));
        Assert.True(File.Exists(Path.Combine(left, "inside.txt")));
    }

    [Fact]
    public void AMarkerOfSomeoneElsesWordingSweepsNothing()
    {
        using var folder = new TempFolder();
        var entry = folder[$".x.png.{DeadPid}-{Guid.NewGuid():N}.tmp"];
        File.WriteAllText(entry, "data");
        File.WriteAllText(entry + TempNames.MarkerSuffix, "owner: someone else\n");
        File.SetLastWriteTimeUtc(entry + TempNames.MarkerSuffix, DateTime.UtcNow.AddDays(-2));

        Assert.Equal(0, TempNames.SweepStale(folder.Path));
        Assert.True(File.Exists(entry));
    }

    [Fact]
    public void AMarkerLeftAloneAfterItsEntryWasMovedIsSwept()
    {
        using var folder = new TempFolder();
        var left = KilledWrite(folder, "x.png", isFolder: false);
        File.Move(left, folder["x.png"]);

        Assert.Equal(0, TempNames.SweepStale(folder.Path));
        Assert.Equal(new[] { folder["x.png"] }, Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void AFreshEntryOfALiveWriterIsNeverSwept()
    {
        using var folder = new TempFolder();
        using var entry = TempEntry.Claim(folder["x.png"], isFolder: false);
        File.WriteAllText(entry.Path, "being written");

        Assert.Equal(0, TempNames.SweepStale(folder.Path));
        Assert.True(File.Exists(entry.Path));
    }

    [Fact]
    public void AnOldEntryOfALiveProcessIdIsARecycledIdAndSwept()
    {
        using var folder = new TempFolder();
        var entry = TempEntry.Claim(folder["x.png"], isFolder: false);
        File.WriteAllText(entry.Path, "");
        Assert.StartsWith($".x.png.{Environment.ProcessId}-", Path.GetFileName(entry.Path));
        File.SetLastWriteTimeUtc(entry.Path + TempNames.MarkerSuffix, DateTime.UtcNow.AddDays(-2));

        Assert.Equal(1, TempNames.SweepStale(folder.Path));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    /// <summary>What a process of this tool killed while writing <paramref name="name"/> leaves behind: the entry and its marker.</summary>
    internal static string KilledWrite(TempFolder folder, string name, bool isFolder, string processId = DeadPid)
    {
        var entryName = $".{name}.{processId}-{Guid.NewGuid():N}.tmp";
        var entry = folder[entryName];
        if (isFolder)
        {
            Directory.CreateDirectory(Path.Combine(entry, "base"));
        }
        else
        {
            File.WriteAllText(entry, "half an image");
        }
        File.WriteAllText(entry + TempNames.MarkerSuffix, TempNames.MarkerText(entryName, isFolder));
        File.SetLastWriteTimeUtc(entry + TempNames.MarkerSuffix, DateTime.UtcNow.AddHours(-1));
        return entry;
    }
}
