using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Tests.Faces;

/// <summary>
/// Both faces give the same images for the same request: a table of requests, each written in the CLI's syntax and in
/// PowerShell's, runs through the built `hybrid` and through New-HybridImage in the real pwsh. Every file must have the
/// same name, the same decoded pixels and the same settings in its text; a request one face refuses, the other refuses
/// with the same message, led by its own spelling of the option.
/// </summary>
public sealed class FaceParityTests
{
    /// <param name="Cli">`hybrid new-image` arguments (the output folder is added).</param>
    /// <param name="PowerShell">New-HybridImage arguments as PowerShell source (the output folder is added).</param>
    /// <param name="Files">The file names both faces must write.</param>
    private sealed record Request(string Name, string[] Cli, string PowerShell, string[] Files);

    /// <summary>A request both faces refuse, naming the setting as <paramref name="Option"/> and <paramref name="Parameter"/>.</summary>
    private sealed record Refusal(string Name, string[] Cli, string PowerShell, string Option, string Parameter);

    private static Request[] Requests(string slider)
    {
        string[] Small(params string[] args) => args.Concat(new[] { "--width", "64", "--height", "64" }).ToArray();
        string[] Names(string stem, string modes, params long[] seeds) =>
            modes.Split(' ').SelectMany(mode => seeds.Select(seed => $"{stem}-{mode}-{seed}.png")).ToArray();
        return new[]
        {
            new Request("hybrid-default", new[] { "a red circle" }, "'a red circle'", Names("a-red-circle", "hybrid", 0)),
            new Request("modes-and-count", Small("a square", "--mode", "hybrid", "distilled", "base", "--count", "2"),
                "'a square' -Mode Hybrid, Distilled, Base -Count 2 -Width 64 -Height 64", Names("a-square", "hybrid distilled base", 0, 1)),
            new Request("seed-list", Small("a blue box", "--mode", "distilled", "--seed", "3", "7", "11"),
                "'a blue box' -Mode Distilled -Seed 3, 7, 11 -Width 64 -Height 64", Names("a-blue-box", "distilled", 3, 7, 11)),
            new Request("count-from-seed", Small("a circle", "--seed", "10", "--count", "3"),
                "'a circle' -Seed 10 -Count 3 -Width 64 -Height 64", Names("a-circle", "hybrid", 10, 11, 12)),
            new Request("steps-guidance-size",
                new[] { "a red box", "--mode", "base", "reverse", "skip-first", "--steps", "6", "--base-steps", "2", "--guidance", "1.5", "--base-guidance", "2",
                    "--negative-prompt", "blue", "--width", "64", "--height", "48", "--seed", "4" },
                "'a red box' -Mode Base, Reverse, SkipFirst -Steps 6 -BaseSteps 2 -Guidance 1.5 -BaseGuidance 2 -NegativePrompt blue -Width 64 -Height 48 -Seed 4",
                Names("a-red-box", "base reverse skipfirst", 4)),
            new Request("plan", Small("a triangle", "--mode", "plan", "--plan", "base:999;distilled[euler]:749,499,249"),
                "'a triangle' -Mode Plan -Plan 'base:999;distilled[euler]:749,499,249' -Width 64 -Height 64", Names("a-triangle", "plan", 0)),
            new Request("slider", Small("a square", "--slider", slider + ":2", "--mode", "hybrid", "distilled"),
                $"'a square' -Model (Add-ConceptSlider -Path {PowerShellProcess.Quote(slider)} -Strength 2) -Mode Hybrid, Distilled -Width 64 -Height 64",
                Names("a-square", "hybrid distilled", 0)),
            new Request("torch-noise", Small("a navy ball", "--noise", "torch", "--scheduler", "euler", "--seed", "42"),
                "'a navy ball' -NoiseSource Torch -Scheduler euler -Seed 42 -Width 64 -Height 64", Names("a-navy-ball", "hybrid", 42)),
            new Request("prompts-and-preset", Small("a red circle", "a blue box", "--preset", "Dmd2", "--mode", "distilled"),
                "'a red circle', 'a blue box' -Preset Dmd2 -Mode Distilled -Width 64 -Height 64",
                Names("a-red-circle", "distilled", 0).Concat(Names("a-blue-box", "distilled", 0)).ToArray()),
            new Request("cads", Small("a red circle", "--mode", "distilled", "--cads", "--cads-tau1", "0.5", "--cads-psi", "0.5", "--count", "2"),
                "'a red circle' -Mode Distilled -Cads -CadsTau1 0.5 -CadsPsi 0.5 -Count 2 -Width 64 -Height 64", Names("a-red-circle", "distilled", 0, 1)),
            new Request("condition-noise", Small("a blue box", "--condition-noise", "0.3", "--condition-noise-fraction", "0.25", "--seed", "5"),
                "'a blue box' -ConditionNoise 0.3 -ConditionNoiseFraction 0.25 -Seed 5 -Width 64 -Height 64", Names("a-blue-box", "hybrid", 5)),
            new Request("guidance-interval", Small("a square", "--mode", "base", "--steps", "8", "--base-guidance", "4", "--guidance-interval", "0.5", "30"),
                "'a square' -Mode Base -Steps 8 -BaseGuidance 4 -GuidanceInterval 0.5, 30 -Width 64 -Height 64", Names("a-square", "base", 0)),
        };
    }

    private static readonly Refusal[] Refusals =
    {
        new("count-and-seeds", new[] { "a square", "--count", "1", "--seed", "5", "6" }, "'a square' -Count 1 -Seed 5, 6", "--count", "-Count"),
        new("base-steps", new[] { "a square", "--steps", "3", "--base-steps", "3" }, "'a square' -Steps 3 -BaseSteps 3", "--base-steps", "-BaseSteps"),
        new("base-steps-auto", new[] { "a square", "--mode", "distilled", "--base-steps", "auto" }, "'a square' -Mode Distilled -BaseSteps Auto", "--base-steps", "-BaseSteps"),
        new("base-steps-word", new[] { "a square", "--base-steps", "often" }, "'a square' -BaseSteps often", "--base-steps", "-BaseSteps"),
        new("width", new[] { "a square", "--width", "100" }, "'a square' -Width 100", "--width", "-Width"),
        new("cads-tau", new[] { "a square", "--cads-tau1", "0.95" }, "'a square' -CadsTau1 0.95", "--cads-tau1", "-CadsTau1"),
        new("cads-tau-range", new[] { "a square", "--cads-tau2", "1.5" }, "'a square' -CadsTau2 1.5", "--cads-tau2", "-CadsTau2"),
        new("cads-psi", new[] { "a square", "--cads", "--cads-psi", "-0.5" }, "'a square' -Cads -CadsPsi -0.5", "--cads-psi", "-CadsPsi"),
        new("cads-scale", new[] { "a square", "--cads-scale", "-1" }, "'a square' -CadsScale -1", "--cads-scale", "-CadsScale"),
        new("cads-and-noise", new[] { "a square", "--cads", "--condition-noise", "0.1" }, "'a square' -Cads -ConditionNoise 0.1", "--cads", "-Cads"),
        new("noise-strength", new[] { "a square", "--condition-noise", "-0.1" }, "'a square' -ConditionNoise -0.1", "--condition-noise", "-ConditionNoise"),
        new("noise-fraction", new[] { "a square", "--condition-noise", "0.1", "--condition-noise-fraction", "0" },
            "'a square' -ConditionNoise 0.1 -ConditionNoiseFraction 0", "--condition-noise-fraction", "-ConditionNoiseFraction"),
        new("interval-order", new[] { "a square", "--mode", "base", "--base-guidance", "5", "--guidance-interval", "5", "1" },
            "'a square' -Mode Base -BaseGuidance 5 -GuidanceInterval 5, 1", "--guidance-interval", "-GuidanceInterval"),
        new("interval-outside", new[] { "a square", "--mode", "base", "--base-guidance", "5", "--guidance-interval", "0", "0.001" },
            "'a square' -Mode Base -BaseGuidance 5 -GuidanceInterval 0, 0.001", "--guidance-interval", "-GuidanceInterval"),
        new("interval-unguided", new[] { "a square", "--mode", "base", "--guidance-interval", "1", "2" },
            "'a square' -Mode Base -GuidanceInterval 1, 2", "--guidance-interval", "-GuidanceInterval"),
        new("guidance-unused", new[] { "a square", "--mode", "base", "--guidance", "5" }, "'a square' -Mode Base -Guidance 5", "--guidance", "-Guidance"),
        new("base-guidance-unused", new[] { "a square", "--mode", "distilled", "--base-guidance", "5" },
            "'a square' -Mode Distilled -BaseGuidance 5", "--base-guidance", "-BaseGuidance"),
        new("preset-unused", new[] { "a square", "--mode", "base", "--preset", "Dmd2" }, "'a square' -Mode Base -Preset Dmd2", "--preset", "-Preset"),
        new("plan-interval-unguided", new[] { "a square", "--mode", "plan", "--plan", "distilled:999,499+interval(lo=1,hi=2)" },
            "'a square' -Mode Plan -Plan 'distilled:999,499+interval(lo=1,hi=2)'", "--plan", "-Plan"),
    };

    [PowerShellFact]
    public async Task EveryRequestGivesTheSameFilesThroughTheCliAndTheCmdlets()
    {
        using var folder = new TempFolder();
        // Both faces find the demo pair this test run wrote, where a user's session finds its own.
        var environment = new Dictionary<string, string> { ["HYBRIDDIFFUSION_HOME"] = Path.GetDirectoryName(Path.GetDirectoryName(DemoPair.Paths.BaseModel))! };
        var requests = Requests(DemoPair.Paths.WarmthSlider);

        var script = folder["requests.ps1"];
        File.WriteAllLines(script, new[] { "$ErrorActionPreference = 'Stop'", $"Import-Module {PowerShellProcess.Quote(PowerShellProcess.ModuleManifest)}" }
            .Concat(requests.Select(r => (r.Name, r.PowerShell)).Concat(Refusals.Select(r => (r.Name, r.PowerShell))).Select(r =>
                $"try {{ New-HybridImage {r.PowerShell} -OutputDirectory {PowerShellProcess.Quote(folder[Path.Combine("ps", r.Name)])} | Out-Null }} " +
                $"catch {{ Write-Output ('{r.Name}|' + $_.ToString()) }}")));
        var powerShell = PowerShellProcess.RunAsync(script, environment);
        var cli = requests.Select(r => (r.Name, r.Cli)).Concat(Refusals.Select(r => (r.Name, r.Cli)))
            .ToDictionary(r => r.Name, r => RunCli(environment, r.Cli.Prepend("new-image").Concat(new[] { "--output", folder[Path.Combine("cli", r.Name)] }).ToArray()));
        var (code, output, errors) = await powerShell;
        Assert.True(code == 0, errors);
        var refused = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|', 2)).ToDictionary(parts => parts[0], parts => parts[1]);

        foreach (var request in requests)
        {
            Assert.False(refused.ContainsKey(request.Name), $"{request.Name}: PowerShell refused it: {refused.GetValueOrDefault(request.Name)}");
            Assert.True(cli[request.Name].Code == 0, $"{request.Name}: the CLI refused it: {cli[request.Name].Errors}");
            var expected = request.Files.Order().ToArray();
            Assert.Equal(expected, FileNames(folder[Path.Combine("cli", request.Name)]));
            Assert.Equal(expected, FileNames(folder[Path.Combine("ps", request.Name)]));
            foreach (var file in expected)
            {
                var fromCli = PngDecoder.Decode(folder[Path.Combine("cli", request.Name, file)]);
                var fromCmdlet = PngDecoder.Decode(folder[Path.Combine("ps", request.Name, file)]);
                Assert.True(fromCli.Image.Pixels.AsSpan().SequenceEqual(fromCmdlet.Image.Pixels), $"{request.Name}/{file}: the pixels differ");
                Assert.Equal(Settings(file, fromCli.Text), Settings(file, fromCmdlet.Text));
            }
        }
        foreach (var refusal in Refusals)
        {
            var (cliCode, _, cliErrors) = cli[refusal.Name];
            Assert.Equal(2, cliCode);
            var cliMessage = cliErrors.Trim();
            Assert.StartsWith($"hybrid: error: {refusal.Option}: ", cliMessage);
            Assert.True(refused.TryGetValue(refusal.Name, out var powerShellMessage), $"{refusal.Name}: PowerShell made images");
            Assert.StartsWith($"{refusal.Parameter}: ", powerShellMessage);
            Assert.Equal(cliMessage[$"hybrid: error: {refusal.Option}: ".Length..], powerShellMessage[$"{refusal.Parameter}: ".Length..]);
            Assert.Empty(FileNames(folder[Path.Combine("cli", refusal.Name)]));
            Assert.Empty(FileNames(folder[Path.Combine("ps", refusal.Name)]));
        }
    }

    private static (int Code, string Output, string Errors) RunCli(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        using var process = new CliProcess(environment, args);
        int code = process.WaitForExit();
        return (code, process.Output, process.Errors);
    }

    // A PNG's text as "file: key=value" lines, so a difference names the file and the setting.
    private static IEnumerable<string> Settings(string file, IReadOnlyDictionary<string, string> text) =>
        text.Select(kv => $"{file}: {kv.Key}={kv.Value}").Order();

    private static string[] FileNames(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order().ToArray() : Array.Empty<string>();
}
