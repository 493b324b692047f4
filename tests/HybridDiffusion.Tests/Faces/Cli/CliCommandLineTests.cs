using HybridDiffusion.Core.Output;
using HybridDiffusion.Tests.Analysis.Diversity;
using HybridDiffusion.Tests.Core.Output;

namespace HybridDiffusion.Tests.Faces.Cli;

/// <summary>Hostile command lines end with a specific message, the documented exit code and nothing written.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliCommandLineTests
{
    private static readonly string[] Models = { "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel };

    private static Task<(int Code, string Output, string Errors)> Cli(params string[] args) => DiversityInputTests.Cli(args);

    [Theory]
    [InlineData("new-image", "--stpes", "--steps")]
    [InlineData("slider-transfer", "--stpes", "--steps")]
    [InlineData("x0-trajectory", "--evrey", "--every")]
    [InlineData("diversity", "--metrik", "--metric")]
    [InlineData("bench", "--sise", "--size")]
    public async Task AMisspelledOptionIsAnErrorNamingTheClosestOne(string verb, string typo, string meant)
    {
        using var folder = new TempFolder();
        var args = verb == "bench" ? new[] { verb, typo, "8" } : new[] { verb, folder.Path, typo, "8" };
        var (code, _, errors) = await Cli(args);
        Assert.Equal(2, code);
        Assert.Contains($"unknown option '{typo}'", errors);
        Assert.Contains($"did you mean '{meant}'", errors);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData(new[] { "bench", "diversity", "--images", "10", "--size", "100000" }, 2, "hybrid: error: Use --images ≥ 2 and --size from 16 to 2048")]
    [InlineData(new[] { "bench", "--size", "12", "--images", "1", "--rounds", "1", "--batch", "1", "--mode", "distilled" }, 2,
        "hybrid: error: --size: The image side must be a positive multiple of 8")]
    [InlineData(new[] { "bench", "memory", "--base-model", "/nonexistent-model", "--images", "1" }, 1, "The Concurrent measurement failed (exit code 1)")]
    [InlineData(new[] { "slider-transfer", "a square", "--file", "warmth.safetensors", "--mode", "hybrid", "reverse" }, 2, "hybrid: error: --mode: The mode is not chosen here")]
    [InlineData(new[] { "new-image", "a square", "--thread-count", "100000" }, 2, "hybrid: error: --thread-count: The thread count must be 0 (one per core) to 1024")]
    public void BadValuesOfBenchSliderTransferAndThreadsAreRefusedByTheirOptionWithTheDocumentedExitCode(string[] args, int exitCode, string expected)
    {
        // In a process of its own: bench memory runs itself again as a child, which a test host cannot be.
        using var process = new CliProcess(args);
        int code = process.WaitForExit();
        Assert.True(code == exitCode && process.Errors.Contains(expected, StringComparison.Ordinal), $"exit {code}: {process.Errors}");
        Assert.DoesNotContain("unexpectedly", process.Errors);
    }

    [Fact]
    public async Task AfterDoubleDashADashedWordIsAPrompt()
    {
        using var folder = new TempFolder();
        var (code, output, errors) = await Cli(new[] { "new-image", "--output", folder.Path, "--mode", "distilled" }.Concat(Models).Concat(new[] { "--", "--stpes" }).ToArray());
        Assert.True(code == 0, errors);
        Assert.Contains("stpes-distilled-0.png", output);
    }

    [Theory]
    [InlineData("--steps", "x", "--steps takes a whole number")]
    [InlineData("--guidance", "lots", "--guidance takes a number")]
    [InlineData("--seed", "9223372036854775808", "--seed takes a whole number from -9223372036854775808 to 9223372036854775807")]
    [InlineData("--provider", "gpu", "--provider takes one of auto, cuda, cpu")]
    public async Task UnparsableValuesAreDescribedInWords(string option, string value, string expected)
    {
        var (code, _, errors) = await Cli("new-image", "a red circle", option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, errors);
        Assert.DoesNotContain("System.", errors);
    }

    [Fact]
    public async Task SeedsMayNotRunPastTheLargestSeed()
    {
        var (code, _, errors) = await Cli("new-image", "a red circle", "--seed", long.MaxValue.ToString(), "--count", "2", "--output", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains("--count: Seeds 9223372036854775807 to 9223372036854775807 + 1 run past the largest seed", errors);
    }

    [Fact]
    public async Task EngineErrorsNameTheCliOptionNeverAPowerShellParameter()
    {
        var (code, _, errors) = await Cli(new[] { "new-image", "a red circle", "--base-steps", "4", "--steps", "4" }.Concat(Models).ToArray());
        Assert.Equal(2, code);
        Assert.StartsWith("hybrid: error: --base-steps: ", errors);
        Assert.DoesNotContain("BaseSteps", errors);

        (code, _, errors) = await Cli("new-image", "a red circle", "--distilled-model", DemoPair.Paths.DistilledModel);
        Assert.Equal(2, code);
        Assert.StartsWith("hybrid: error: --base-model: ", errors);
        Assert.DoesNotMatch(@"\s-[A-Z][a-z]+", errors);
    }

    public static TheoryData<string, string[], string> BadDestinations()
    {
        var data = new TheoryData<string, string[], string>();
        foreach (var (verb, option) in new[] { ("new-image", "--output"), ("x0-trajectory", "--output") })
        {
            data.Add("a file", new[] { verb, "a red circle", option, "{file}" }, $"{option}: The output folder '{{file}}' is a file");
            data.Add("under a file", new[] { verb, "a red circle", option, "{file}/sub" }, "is a file, not a folder");
            data.Add("empty", new[] { verb, "a red circle", option, "" }, $"{option}: The output folder is empty");
            if (OperatingSystem.IsLinux())
            {
                data.Add("unwritable", new[] { verb, "a red circle", option, "/proc/hybrid-out" }, "this user cannot create files in '/proc'");
            }
        }
        data.Add("junit folder", new[] { "diversity", "{folder}", "--junit", "{folder}" }, "--junit: The JUnit report '{folder}' is a folder");
        data.Add("junit under a file", new[] { "diversity", "{folder}", "--junit", "{file}/report.xml" }, "which is a file, not a folder");
        data.Add("junit empty", new[] { "diversity", "{folder}", "--junit", "" }, "--junit: The JUnit report is empty");
        data.Add("pictures file", new[] { "diversity", "{folder}", "--pictures", "{file}" }, "--pictures: The pictures folder '{file}' is a file");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadDestinations))]
    public async Task BadDestinationsFailBeforeAnyWork(string @case, string[] args, string expected)
    {
        using var folder = new TempFolder();
        var file = folder["a-file"];
        File.WriteAllText(file, "not a folder");
        string Fill(string text) => text.Replace("{file}", file).Replace("{folder}", folder.Path);
        // A model folder that does not exist: the destination is checked first, so its error comes instead.
        var extra = args[0] == "diversity" ? Array.Empty<string>() : new[] { "--base-model", folder["missing"], "--distilled-model", folder["missing"] };
        var (code, output, errors) = await Cli(args.Select(Fill).Concat(extra).ToArray());
        Assert.True(code == 2, $"{@case}: exit {code}: {errors}");
        Assert.Contains(Fill(expected), errors);
        Assert.Equal("", output);
        Assert.DoesNotContain("   at ", errors);
        Assert.Equal(new[] { file }, Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task BootstrapResamplesAreCapped()
    {
        var (code, _, errors) = await Cli("diversity", Path.GetTempPath(), "--bootstrap", "2000000000");
        Assert.Equal(2, code);
        Assert.Contains("--bootstrap: Use 10 to 100000 bootstrap resamples", errors);
    }

    [Fact]
    public async Task ARunSweepsStaleTemporaryFilesOfThisToolOnly()
    {
        using var folder = new TempFolder();
        var deadWriter = TempSweepTests.KilledWrite(folder, "a.png", isFolder: false);
        var liveWriter = TempSweepTests.KilledWrite(folder, "c.png", isFolder: false, Environment.ProcessId.ToString());
        var fresh = TempSweepTests.KilledWrite(folder, "d.png", isFolder: false);
        File.SetLastWriteTimeUtc(fresh + TempNames.MarkerSuffix, DateTime.UtcNow);
        // Entries without this tool's marker are never its own, whatever their names: the older pid-less pattern too.
        var pidless = folder[$".b.png.{Guid.NewGuid():N}.tmp"];
        var foreign = folder[".someone-elses.tmp"];
        foreach (var unmarked in new[] { pidless, foreign })
        {
            File.WriteAllText(unmarked, "theirs");
            File.SetLastWriteTimeUtc(unmarked, DateTime.UtcNow.AddDays(-2));
        }

        var (code, _, errors) = await Cli(new[] { "new-image", "a red circle", "--mode", "distilled", "--output", folder.Path }.Concat(Models).ToArray());

        Assert.True(code == 0, errors);
        Assert.False(File.Exists(deadWriter));
        Assert.True(File.Exists(liveWriter));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(pidless));
        Assert.True(File.Exists(foreign));
    }
}
