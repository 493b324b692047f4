using System.Text.Json;
using System.Text.RegularExpressions;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Faces.Cli;

/// <summary>What a newcomer ran into on a first hour with the CLI (issue 26): each case failed before its fix.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliFirstUseTests
{
    private static readonly string[] Models = { "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel };

    private static Task<(int Code, string Output, string Errors)> Cli(params string[] args) => DiversityInputTests.Cli(args);

    [Fact]
    public async Task StandardInputsPromptsTakeThePlaceOfTheDashAmongTheOthers()
    {
        using var folder = new TempFolder();
        var previous = Console.In;
        Console.SetIn(new StringReader("a red circle\n\n  a blue box  \n"));
        try
        {
            var (code, output, errors) = await Cli(new[] { "new-image", "a yellow ball", "-", "--mode", "distilled", "--json", "--output", folder.Path }.Concat(Models).ToArray());
            Assert.True(code == 0, errors);
            var prompts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt").GetString());
            Assert.Equal(new[] { "a yellow ball", "a red circle", "a blue box" }, prompts);
        }
        finally
        {
            Console.SetIn(previous);
        }
    }

    [Fact]
    public async Task TwoDashesAreRefusedForStandardInputIsReadOnce()
    {
        var (code, _, errors) = await Cli("new-image", "-", "-", "--output", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains("'-' (read prompts from standard input) can stand only once", errors);
    }

    [Theory]
    [InlineData("--plan", "base:999;distilled:749,499,249", "hybrid", "--plan: A plan applies only to mode Plan")]
    [InlineData("--base-steps", "3", "base", "--base-steps: The base-model step count applies only to modes Hybrid and Reverse")]
    public async Task AnOptionThatNoChosenModeUsesIsRefused(string option, string value, string mode, string expected)
    {
        using var folder = new TempFolder();
        var (code, _, errors) = await Cli(new[] { "new-image", "a red circle", option, value, "--mode", mode, "--output", folder.Path }.Concat(Models).ToArray());
        Assert.Equal(2, code);
        Assert.Contains(expected, errors);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void ThePlanAndBaseStepsStillApplyWhereAModeUsesThem()
    {
        DemoPair.Request("a red circle", GenerationMode.Plan, new long[] { 0 }, new GenerationSettings { Plan = "base:999;distilled:749,499,249" }).Validate();
        (DemoPair.Request("a red circle", GenerationMode.Hybrid, new long[] { 0 }, new GenerationSettings { BaseSteps = 2 })
            with { Modes = new[] { GenerationMode.Base, GenerationMode.Hybrid } }).Validate();
    }

    [Fact]
    public async Task AMisspeltVerbNamesTheClosestVerb()
    {
        var (code, _, errors) = await Cli("new-imag", "x");
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'new-imag' for 'hybrid'; did you mean 'new-image'?", errors);
        Assert.DoesNotContain("Required command was not provided", errors);
        Assert.DoesNotContain("Unrecognized command or argument", errors);
    }

    [Fact]
    public async Task PlainHybridPrintsTheUsage()
    {
        var (code, output, errors) = await Cli();
        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.Contains("Usage:", output);
        Assert.Contains("new-image", output);
    }

    [Fact]
    public async Task AMissingBaseFolderIsSaidBeforeTheMissingDistilledOne()
    {
        using var folder = new TempFolder();
        var missing = folder["nonexistent"];
        var (code, _, errors) = await Cli("new-image", "x", "--base-model", missing, "--output", folder["out"]);
        Assert.Equal(1, code);
        Assert.Contains($"Model folder '{missing}' (base model) does not exist", errors);
        Assert.DoesNotContain("--distilled-model", errors);
    }

    [Fact]
    public async Task AFileThatIsNotAUnetIsSaidToBeOneNotToBeMissing()
    {
        using var folder = new TempFolder();
        var notes = folder["notes.txt"];
        File.WriteAllText(notes, "not a model");
        var (code, _, errors) = await Cli("new-image", "x", "--distilled-model", notes, "--output", folder["out"]);
        Assert.Equal(1, code);
        Assert.Contains($"'{notes}' (distilled model) is a file but not an .onnx UNet", errors);
        Assert.False(Directory.Exists(folder["out"]));
    }

    [Fact]
    public async Task X0TrajectoryHelpMentionsOnlyItsOwnOptions()
    {
        var (code, output, _) = await Cli("x0-trajectory", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--embedding-model", output);
        Assert.DoesNotContain("--metric", output);
    }

    [Fact]
    public void FileNamesKeepTheSignOfANumber()
    {
        Assert.Equal("warmth-safetensors-minus1-5", OutputNaming.Slug("warmth.safetensors@-1.5"));
        Assert.Equal("warmth-safetensors-1-5", OutputNaming.Slug("warmth.safetensors@1.5"));
        Assert.Equal("minus3-degrees", OutputNaming.Slug("-3 degrees"));
        // A hyphen between words or after a digit is no sign.
        Assert.Equal("skip-first-2-3", OutputNaming.Slug("skip-first 2-3"));
    }

    [Fact]
    public void TheReadmeCountsTheReferenceCasesThereAre()
    {
        var root = CmdletMetadata.Metadata("RepositoryRoot");
        int cases = Directory.GetDirectories(Path.Combine(SharedData.RequireDiffusersReference(), "cases")).Length;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var counts = Regex.Matches(readme, @"\b(\d+) (?:recorded\s+pipeline calls|cases)\b").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(counts);
        Assert.All(counts, n => Assert.Equal(cases, n));
    }
}
