using System.Globalization;
using System.Text.Json;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Faces;

/// <summary>
/// Get-X0Trajectory takes the embedding-model overrides that `hybrid x0-trajectory` takes (and Measure-SampleDiversity),
/// and both faces give every step the same embedding distance for the same overrides; an override the model refuses is
/// refused by both with the same message, led by each face's own spelling.
/// </summary>
public sealed class TrajectoryEmbeddingParityTests
{
    [PowerShellFact]
    public async Task BothFacesGiveTheSameEmbeddingDistancesForTheSameOverrides()
    {
        using var folder = new TempFolder();
        var model = DemoPair.Paths.EmbeddingModel;
        string[] common = { "x0-trajectory", "a photo", "--mode", "base", "--steps", "6", "--seed", "3", "--json", "--embedding-model", model,
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel };
        string[] overrides = { "--embedding-crop", "0.5", "--embedding-mean", "0.4", "0.5", "0.6", "--embedding-std", "0.2", "0.25", "0.3", "--embedding-resize", "Bilinear" };

        var script = folder["trajectory.ps1"];
        var call = $"Get-X0Trajectory 'a photo' -Mode Base -Steps 6 -Seed 3 -EmbeddingModel {PowerShellProcess.Quote(model)} " +
            $"-BaseModel {PowerShellProcess.Quote(DemoPair.Paths.BaseModel)} -DistilledModel {PowerShellProcess.Quote(DemoPair.Paths.DistilledModel)}";
        File.WriteAllLines(script, new[]
        {
            "$ErrorActionPreference = 'Stop'",
            $"Import-Module {PowerShellProcess.Quote(PowerShellProcess.ModuleManifest)}",
            $"{call} -EmbeddingCrop 0.5 -EmbeddingMean 0.4, 0.5, 0.6 -EmbeddingStd 0.2, 0.25, 0.3 -EmbeddingResize Bilinear | ForEach-Object {{ $_.EmbeddingDistanceToFinal.ToString('R') }}",
            $"try {{ {call} -EmbeddingLayout Nhwc | Out-Null }} catch {{ Write-Output ('refused|' + $_.ToString()) }}",
        });
        var powerShell = PowerShellProcess.RunAsync(script, new Dictionary<string, string>());

        var plain = Distances((await DiversityInputTests.Cli(common)).Output);
        var (code, output, errors) = await DiversityInputTests.Cli(common.Concat(overrides).ToArray());
        Assert.True(code == 0, errors);
        var fromCli = Distances(output);
        var (refusedCode, _, refusedErrors) = await DiversityInputTests.Cli(common.Concat(new[] { "--embedding-layout", "Nhwc" }).ToArray());
        var (psCode, psOutput, psErrors) = await powerShell;
        Assert.True(psCode == 0, psErrors);

        var lines = psOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fromCmdlet = lines.Where(l => !l.StartsWith("refused|", StringComparison.Ordinal)).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(6, fromCli.Length);
        Assert.Equal(fromCli, fromCmdlet);
        // The overrides reach the model: the same run without them measures other distances.
        Assert.NotEqual(plain, fromCli);

        Assert.Equal(2, refusedCode);
        const string cliLead = "hybrid: error: --embedding-layout: ", cmdletLead = "refused|-EmbeddingLayout: ";
        var cliMessage = refusedErrors.Trim();
        var cmdletMessage = Assert.Single(lines, l => l.StartsWith("refused|", StringComparison.Ordinal));
        Assert.StartsWith(cliLead, cliMessage);
        Assert.StartsWith(cmdletLead, cmdletMessage);
        Assert.Equal(cliMessage[cliLead.Length..], cmdletMessage[cmdletLead.Length..]);
    }

    private static double[] Distances(string jsonLines) => jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("embeddingDistanceToFinal").GetDouble()).ToArray();
}
