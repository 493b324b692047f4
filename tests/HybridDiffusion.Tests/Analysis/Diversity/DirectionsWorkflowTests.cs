using System.Text.Json;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Core.Imaging;
using static HybridDiffusion.Tests.Analysis.Diversity.InceptionScoreWorkflowTests;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>
/// Variation directions through the workflow and the CLI, on solid-colour images whose embeddings are known: a fixture
/// model whose features are the channel means. The base set varies a lot in red and a little in green, independently,
/// so its directions are the red and green axes; the distilled set varies in green only, the hybrid set as the base.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DirectionsWorkflowTests
{
    private const string Prompt = "a colour";
    private static readonly int[] BaseReds = { 0, 50, 100, 150, 200, 250 };
    private static readonly int[] BaseGreens = { 100, 110 };
    private static readonly int[] DistilledGreens = { 60, 140 };

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void TheSharesAndRelativeVariancesAreThoseOfTheKnownDirections(int repeats)
    {
        using var folder = new TempFolder();
        var request = new DiversityRequest
        {
            GroupBy = "Mode", Directions = 2, Embedding = new EmbeddingOptions { ModelPath = WriteClassifier(folder, gain: 1) },
        };

        var outcome = DiversityAnalyzer.Measure(TestEngine.Shared, request, Samples(repeats));

        Assert.Empty(outcome.Problems);
        Assert.Equal(new[] { "Distilled", "Hybrid" }, outcome.Directions.Select(r => r.Group));
        double red = Variance(BaseReds, repeats * BaseGreens.Length), green = Variance(BaseGreens, repeats * BaseReds.Length);
        double distilledGreen = Variance(DistilledGreens, repeats * 3);
        foreach (var report in outcome.Directions)
        {
            Assert.Equal(Prompt, report.Prompt);
            Assert.Equal("Base", report.BaseGroup);
            Assert.Equal(repeats * 12, report.BaseCount);
            Assert.Equal(2, report.Directions);
            AssertClose(new[] { red / (red + green), green / (red + green) }, report.BaseShares);
            AssertClose(new[] { red, green }, report.BaseVariances);
            Assert.Equal(1, report.BaseFraction, 6);
            Assert.Null(report.ChartPath);
        }
        var distilled = outcome.Directions[0];
        Assert.Equal(repeats * 6, distilled.Count);
        // No variation along the base's main direction; all of it along the second, at its own strength.
        AssertClose(new[] { 0, distilledGreen / green }, distilled.RelativeVariances);
        Assert.Equal(1, distilled.Fraction, 6);
        Assert.Equal(distilledGreen / (red + green), distilled.TotalVarianceRatio, 6);
        var hybrid = outcome.Directions[1];
        AssertClose(new[] { 1.0, 1.0 }, hybrid.RelativeVariances);
        Assert.Equal(1, hybrid.TotalVarianceRatio, 6);

        var topOne = DiversityAnalyzer.Measure(TestEngine.Shared, request with { Directions = 1 }, Samples(repeats));
        // Along the top direction alone: none of the distilled set's variance, the base's share of the hybrid's.
        Assert.Equal(0, topOne.Directions[0].Fraction, 6);
        Assert.Equal(red / (red + green), topOne.Directions[1].Fraction, 6);
        Assert.Equal(red / (red + green), topOne.Directions[1].BaseFraction, 6);
    }

    [Fact]
    public async Task TheCliPrintsATableJsonLinesAndAChartPerPrompt()
    {
        using var folder = new TempFolder();
        var model = WriteClassifier(folder, gain: 1);
        var images = WriteImages(folder);
        var pictures = folder["pictures"];

        var (code, output, errors) = await DiversityInputTests.Cli("diversity", images, "--group-by", "Mode", "--embedding-model", model,
            "--directions", "2", "--pictures", pictures);
        Assert.True(code == 0, errors);
        Assert.Contains("Variance / base's, per direction", output);
        // The distilled set: nothing along the base's red direction, 70.4 × the base's variance along its green one.
        double greenRatio = Variance(DistilledGreens, 3) / Variance(BaseGreens, BaseReds.Length);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0.000 {greenRatio:F3}"), output);
        var chart = Path.Combine(pictures, "a-colour-directions.svg");
        var svg = File.ReadAllText(chart);
        Assert.Contains("Distilled", svg);
        Assert.Contains("Hybrid", svg);
        Assert.Empty(Directory.GetFiles(pictures, "*.tmp*"));

        (code, output, errors) = await DiversityInputTests.Cli("diversity", images, "--group-by", "Mode", "--embedding-model", model, "--directions", "2", "--json");
        Assert.True(code == 0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("metric").GetString() == "directions").ToList();
        var engine = DiversityAnalyzer.Measure(TestEngine.Shared,
            new DiversityRequest { GroupBy = "Mode", Directions = 2, Embedding = new EmbeddingOptions { ModelPath = model } }, Samples(1)).Directions;
        Assert.Equal(engine.Select(r => r.Group), lines.Select(l => l.GetProperty("group").GetString()));
        for (int i = 0; i < engine.Count; i++)
        {
            Assert.Equal(Prompt, lines[i].GetProperty("prompt").GetString());
            Assert.Equal(engine[i].Fraction, lines[i].GetProperty("fraction").GetDouble(), 12);
            Assert.Equal(engine[i].RelativeVariances, lines[i].GetProperty("relativeVariances").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(engine[i].BaseShares, lines[i].GetProperty("baseShares").EnumerateArray().Select(v => v.GetDouble()));
        }
    }

    [Theory]
    [InlineData("0", null, 2, "--directions")]
    [InlineData("2", "no model", 2, "--embedding-model")]
    // 12 base images of two independent colours vary along 2 directions only.
    [InlineData("3", null, 1, "vary along 2 directions")]
    public async Task BadSettingsAreRefusedWithTheirMessageAndExitCode(string directions, string? withoutModel, int exitCode, string named)
    {
        using var folder = new TempFolder();
        var images = WriteImages(folder);
        var args = new List<string> { "diversity", images, "--group-by", "Mode", "--directions", directions };
        if (withoutModel is null)
        {
            args.AddRange(new[] { "--embedding-model", WriteClassifier(folder, gain: 1) });
        }

        var (code, _, errors) = await DiversityInputTests.Cli(args.ToArray());

        Assert.Equal(exitCode, code);
        Assert.Contains(named, errors);
    }

    [Fact]
    public void APromptWithoutOneBaseSetIsAProblemNamingItAndTheOtherPromptsAreStillCompared()
    {
        using var folder = new TempFolder();
        var request = new DiversityRequest { GroupBy = "Mode", Directions = 1, Embedding = new EmbeddingOptions { ModelPath = WriteClassifier(folder, gain: 1) } };
        var noBase = Samples(1).Where(s => s.GroupKey("Mode") != "Base")
            .Select(s => new DiversitySample(s.Label + " other", s.Image, new Dictionary<string, string>(s.Properties) { ["Prompt"] = "no base" }));

        var outcome = DiversityAnalyzer.Measure(TestEngine.Shared, request, Samples(1).Concat(noBase).ToList());

        var problem = Assert.Single(outcome.Problems);
        Assert.Contains("Prompt 'no base'", problem.Message);
        Assert.Contains("no base set", problem.Message);
        Assert.Equal(new[] { Prompt, Prompt }, outcome.Directions.Select(r => r.Prompt));
        // Grouped by prompt, a prompt's one group mixes the modes: no base set either.
        var byPrompt = DiversityAnalyzer.Measure(TestEngine.Shared, request with { GroupBy = "Prompt" }, Samples(1));
        Assert.Contains("group the images by Mode", Assert.Single(byPrompt.Problems).Message);
        Assert.Empty(byPrompt.Directions);
    }

    // Base: every red with every green (independent, so the directions are the axes); distilled: one red, two greens;
    // hybrid: the base's colours again.
    private static List<DiversitySample> Samples(int repeats)
    {
        var colours = new List<(string Mode, (int, int, int) Colour)>();
        for (int r = 0; r < repeats; r++)
        {
            colours.AddRange(BaseReds.SelectMany(red => BaseGreens.Select(green => ("Base", (red, green, 0)))));
            colours.AddRange(Enumerable.Range(0, 3).SelectMany(_ => DistilledGreens.Select(green => ("Distilled", (125, green, 0)))));
            colours.AddRange(BaseReds.SelectMany(red => BaseGreens.Select(green => ("Hybrid", (red, green, 0)))));
        }
        return colours.Select((c, i) => new DiversitySample($"{c.Mode} {i}", Solid(c.Colour),
            new Dictionary<string, string> { ["Prompt"] = Prompt, ["Mode"] = c.Mode })).ToList();
    }

    // Samples(1) as PNG files with their Prompt and Mode, in a folder of their own.
    private static string WriteImages(TempFolder folder)
    {
        var images = folder["images"];
        Directory.CreateDirectory(images);
        foreach (var (sample, i) in Samples(1).Select((s, i) => (s, i)))
        {
            File.WriteAllBytes(Path.Combine(images, $"{i:D2}.png"), PngEncoder.Encode(sample.Image, sample.Properties.ToArray()));
        }
        return images;
    }

    // The sample variance (n − 1) of channel values / 255, each value repeated the same number of times.
    private static double Variance(int[] values, int each)
    {
        var all = values.SelectMany(v => Enumerable.Repeat(v / 255.0, each)).ToList();
        double mean = all.Average();
        return all.Sum(v => (v - mean) * (v - mean)) / (all.Count - 1);
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1e-3, Math.Abs(expected[i])), $"direction {i + 1}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
