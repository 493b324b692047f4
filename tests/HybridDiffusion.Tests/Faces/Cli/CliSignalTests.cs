namespace HybridDiffusion.Tests.Faces.Cli;

/// <summary>Ctrl+C (SIGINT) and SIGTERM in the middle of a long run: exit 130, "cancelled", no temporary file left.</summary>
public sealed class CliSignalTests
{
    [LinuxFact]
    public void SigintCancelsCleanly() => CancelsCleanly("INT");

    [LinuxFact]
    public void SigtermCancelsCleanly() => CancelsCleanly("TERM");

    private static void CancelsCleanly(string signal)
    {
        using var folder = new TempFolder();
        // Far more images than the test waits for: base mode, 50 steps, a million seeds.
        using var cli = new CliProcess("new-image", "a red circle", "--mode", "base", "--steps", "50", "--count", "1000000",
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel, "--output", folder.Path);
        cli.WaitForFirstLine();
        cli.Signal(signal);
        int code = cli.WaitForExit();

        Assert.True(code == 130, $"exit {code}: {cli.Errors}");
        Assert.Contains("cancelled", cli.Errors);
        Assert.DoesNotContain("   at ", cli.Errors);
        Assert.NotEmpty(Directory.GetFiles(folder.Path, "*.png"));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path, "*.tmp*"));
    }

    [LinuxFact]
    public void ABillionImagesStreamInBoundedMemory()
    {
        using var folder = new TempFolder();
        using var cli = new CliProcess("new-image", "a red circle", "--count", "1000000000",
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel, "--output", folder.Path);
        cli.WaitForFirstLine();
        long peak = cli.PeakResidentBytes();
        cli.Signal("INT");
        Assert.Equal(130, cli.WaitForExit());
        // Seeds, jobs and file names are made as images are: a billion of them would need gigabytes up front.
        Assert.True(peak < 600L << 20, $"peak resident memory {peak >> 20} MB");
    }
}
