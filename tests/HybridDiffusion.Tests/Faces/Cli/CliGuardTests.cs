using HybridDiffusion.Cli;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Sliders;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Faces.Cli;

/// <summary>
/// Whatever reaches the CLI is rendered as a message, never a stack trace: the last-resort guard, standard input read
/// line by line with a cap, prompts capped, and quoted input that cannot drive the terminal (issues 23 and 24).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliGuardTests
{
    private static readonly string[] Models = { "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnUnforeseenFailureIsOneLineNamingTheVerbWithTheDetailsUnderVerbose(bool verbose)
    {
        using var engine = new HybridEngine();
        var args = verbose ? new[] { "new-image", "x", "--verbose" } : new[] { "new-image", "x" };
        var result = CliApp.Root(engine).Parse(args);
        var errors = new StringWriter();
        var previous = Console.Error;
        Console.SetError(errors);
        int code;
        try
        {
            code = ExitCodes.Guard(result, () => throw new InvalidCastException("a cast the engine did not foresee\nsecond line"));
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(ExitCodes.Failure, code);
        var lines = errors.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("hybrid: error: new-image failed unexpectedly (InvalidCastException: a cast the engine did not foresee)", lines[0]);
        Assert.DoesNotContain("second line", lines[0]);
        if (verbose)
        {
            Assert.Contains(lines, l => l.StartsWith("verbose:    at ", StringComparison.Ordinal));
        }
        else
        {
            Assert.Single(lines);
            Assert.Contains("--verbose", lines[0]);
        }
    }

    [Fact]
    public async Task AnOverlongLineOnStandardInputIsRefusedWithoutReadingItAll()
    {
        var previous = Console.In;
        Console.SetIn(new StringReader(new string('a', 200_000) + "\n"));
        try
        {
            var (code, _, errors) = await DiversityInputTests.Cli(new[] { "new-image", "-", "--output", Path.GetTempPath() }.Concat(Models).ToArray());
            Assert.Equal(2, code);
            Assert.Contains("Line 1 of standard input is longer than 65,536 characters", errors);
            Assert.True(errors.Length < 1000, errors);
        }
        finally
        {
            Console.SetIn(previous);
        }
    }

    [Theory]
    [InlineData(70_000, "is 70,000 characters long; at most 65,536")]
    [InlineData(0, "contains a NUL character")]
    public async Task APromptTooLongOrHoldingNulIsRefusedByName(int length, string expected)
    {
        using var folder = new TempFolder();
        var prompt = length > 0 ? new string('a', length) : "a red\0circle";
        var (code, _, errors) = await DiversityInputTests.Cli(new[] { "new-image", "--output", folder.Path }.Concat(Models).Concat(new[] { "--", prompt }).ToArray());
        Assert.Equal(2, code);
        Assert.Contains(expected, errors);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task ControlCharactersInSliderKeysReachStderrEscaped()
    {
        using var folder = new TempFolder();
        var lora = folder["hostile.safetensors"];
        const string forged = "lora_unet_x\u001b]0;owned\u0007\nhybrid: error: forged";
        File.WriteAllBytes(lora, SafeTensors.Write(new[]
        {
            (forged + ".lora_down.weight", new long[] { 1, 2 }, new[] { 1f, 2f }),
            (forged + ".lora_up.weight", new long[] { 2, 1 }, new[] { 1f, 1f }),
        }));
        var (code, _, errors) = await DiversityInputTests.Cli(new[] { "new-image", "a square", "--slider", lora + ":1", "--output", folder["out"], "--verbose" }
            .Concat(Models).ToArray());
        Assert.Equal(1, code);
        Assert.DoesNotContain('\u001b', errors);
        Assert.DoesNotContain('\u0007', errors);
        Assert.DoesNotContain(errors.Split('\n'), l => l.StartsWith("hybrid: error: forged", StringComparison.Ordinal));
        Assert.Contains("\\u001b]0;owned\\u0007\\nhybrid: error: forged", errors);
    }

    [Fact]
    public async Task ARunPastItsTimeoutStopsWithAnErrorAndLeavesNoFile()
    {
        using var folder = new TempFolder();
        // A timeout shorter than any model step: the watchdog stops the first image, as it stops a model that never ends.
        var (code, _, errors) = await DiversityInputTests.Cli(new[] { "new-image", "a red circle", "--timeout", "0.000001", "--output", folder.Path }
            .Concat(Models).ToArray());
        Assert.Equal(1, code);
        Assert.Contains("made no progress within the timeout (1E-06 s per image", errors);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("NaN")]
    public async Task ATimeoutThatIsNotAPositiveDurationIsAnInvalidArgument(string timeout)
    {
        var (code, _, errors) = await DiversityInputTests.Cli(new[] { "new-image", "a red circle", "--timeout", timeout, "--output", Path.GetTempPath() }
            .Concat(Models).ToArray());
        Assert.Equal(2, code);
        Assert.Contains("--timeout: The timeout is the seconds one image may take", errors);
    }
}
