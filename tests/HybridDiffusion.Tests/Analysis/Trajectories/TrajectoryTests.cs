using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;
using HybridDiffusion.Analysis.Trajectories;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Analysis.Trajectories;

/// <summary>x̂0 trajectories: the paper's diagnosis on the demo pair, the pictures, and the CLI.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TrajectoryTests
{
    private readonly ITestOutputHelper _output;

    public TrajectoryTests(ITestOutputHelper output) => _output = output;

    private static TrajectoryRequest Request(string prompt, GenerationMode[] modes, int seeds, string? output = null, int every = 1) => new()
    {
        Generation = DemoPair.Request(prompt, modes[0], Enumerable.Range(200, seeds).Select(i => (long)i)) with { Modes = modes },
        Every = every,
        OutputDirectory = output,
    };

    [Fact]
    public void TheDistilledModelCommitsAtItsFirstStepWhileTheBaseModelTakesAFifthOfItsSteps()
    {
        var run = new X0TrajectoryRun(TestEngine.Shared, Request("a photo", new[] { GenerationMode.Base, GenerationMode.Distilled, GenerationMode.Hybrid }, 16));
        var steps = run.Run().ToList();
        var curves = run.Summary!.Curves.ToDictionary(c => c.Label);
        foreach (var curve in curves.Values)
        {
            _output.WriteLine($"{curve.Label,-10} " + string.Join(" ", curve.Points.Take(12).Select(p => $"{p.FractionDone:0.00}:{p.Mean:F3}")) +
                $" ... reaches 0.1 at {curve.FractionToReach(0.1):0.00} of its steps");
        }
        double distilledFirst = curves["distilled"].Points[0].Mean;
        Assert.True(distilledFirst <= 0.10, $"distilled x̂0 after step 1 should be within 0.10 of the final image; got {distilledFirst:F4}");
        Assert.True(curves["base"].FractionToReach(0.10) >= 0.2, $"base reached 0.10 after {curves["base"].FractionToReach(0.10):F2} of its steps");
        Assert.True(curves["base"].FractionToReach(distilledFirst) >= 0.2, "base should need ≥ 20% of its steps to come as close as distilled's first step");
        Assert.All(curves.Values, c => Assert.Equal(16, c.Points[0].Runs));
        Assert.Equal(16 * (50 + 4 + 4), steps.Count);
    }

    [Fact]
    public void EveryNthStepIsDecodedAndTheLastAlways()
    {
        var steps = new X0TrajectoryRun(TestEngine.Shared, Request("a circle", new[] { GenerationMode.Base }, 1, every: 5)).Run().ToList();
        Assert.Equal(new[] { 0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 49 }, steps.Select(s => s.StepIndex));
        Assert.All(steps, s => Assert.Equal(50, s.StepCount));
        Assert.Equal(1.0, steps[^1].FractionDone);
        Assert.True(steps[^1].DistanceToFinal < 0.02, $"the last x̂0 is the final image up to the last noise level; got {steps[^1].DistanceToFinal}");
        Assert.True(steps[0].DistanceToFinal > steps[^1].DistanceToFinal);
    }

    [Fact]
    public void AnEmbeddingModelAddsAnEmbeddingDistanceToEveryStep()
    {
        var steps = new X0TrajectoryRun(TestEngine.Shared, Request("a photo", new[] { GenerationMode.Distilled, GenerationMode.Base }, 2, every: 10) with
        {
            Embedding = new EmbeddingOptions { ModelPath = DemoPair.Paths.EmbeddingModel },
        }).Run().ToList();
        Assert.All(steps, s => Assert.InRange(s.EmbeddingDistanceToFinal!.Value, 0, 2));
        // The last x̂0 is (up to the final noise level) the final image; the base's first is a blend far from it.
        Assert.All(steps.Where(s => s.StepIndex == s.StepCount - 1), s => Assert.True(s.EmbeddingDistanceToFinal < 0.01, $"{s.EmbeddingDistanceToFinal}"));
        Assert.All(steps.Where(s => s.Mode == GenerationMode.Base && s.StepIndex == 0), s => Assert.True(s.EmbeddingDistanceToFinal > 0.01, $"{s.EmbeddingDistanceToFinal}"));
    }

    [Fact]
    public void NewHybridImageReturnsTheSameTrajectoryWithoutChangingTheImage()
    {
        var seeds = new long[] { 7 };
        var plain = DemoPair.Generate("a photo", GenerationMode.Hybrid, seeds).Single();
        var withTrajectory = TestEngine.Shared.Generate(DemoPair.Request("a photo", GenerationMode.Hybrid, seeds) with { TrajectoryEvery = 1 }).Single();
        var fromRun = new X0TrajectoryRun(TestEngine.Shared, Request("a photo", new[] { GenerationMode.Hybrid }, 1) with
        {
            Generation = DemoPair.Request("a photo", GenerationMode.Hybrid, seeds),
        }).Run().ToList();
        Assert.Null(plain.Trajectory);
        Assert.Equal(plain.Image.Pixels, withTrajectory.Image.Pixels);
        Assert.Equal(new[] { ModelRole.Base, ModelRole.Distilled, ModelRole.Distilled, ModelRole.Distilled }, withTrajectory.Trajectory!.Select(s => s.Model));
        Assert.Equal(new[] { 999, 759, 499, 259 }, withTrajectory.Trajectory!.Select(s => s.Timestep));
        Assert.Equal(fromRun.Select(s => s.DistanceToFinal), withTrajectory.Trajectory!.Select(s => s.DistanceToFinal));
        Assert.All(fromRun.Zip(withTrajectory.Trajectory!), p => Assert.Equal(p.First.Image.Pixels, p.Second.Image.Pixels));
    }

    [Fact]
    public void GridChartAndReportAreWrittenLabelledAndSelfContained()
    {
        using var folder = new TempFolder();
        var modes = new[] { GenerationMode.Base, GenerationMode.Distilled, GenerationMode.Hybrid };
        var run = new X0TrajectoryRun(TestEngine.Shared, Request("a red circle", modes, 2, folder.Path, every: 10));
        var steps = run.Run().ToList();
        var summary = run.Summary!;
        // Base keeps steps 1, 11, 21, 31, 41 and 50; the 4-step modes keep steps 1 and 4.
        Assert.Equal(2 * (6 + 2 + 2), steps.Count);
        Assert.All(steps, s => Assert.True(File.Exists(s.Path), s.Path));
        var stepPng = PngDecoder.Decode(steps[0].Path!);
        Assert.Equal("1", stepPng.Text["Step"]);
        Assert.Equal(steps[0].Timestep.ToString(), stepPng.Text["Timestep"]);

        var grid = PngDecoder.Decode(Assert.Single(summary.GridPaths)).Image;
        Assert.Equal(8 + 84 + 6 * (64 + 4) + 8, grid.Width);
        Assert.Equal(18 + 8 + 3 * (64 + 12 + 8), grid.Height);
        Assert.Contains("seed-200", Path.GetFileName(summary.GridPaths[0]));

        var svg = XDocument.Load(summary.ChartSvgPath!);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("640", (string)svg.Root!.Attribute("width")!);
        Assert.Equal(3, svg.Descendants(ns + "polyline").Count());
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("base", texts);
        Assert.Contains("distilled", texts);
        Assert.Contains("hybrid", texts);
        Assert.Contains("threshold 0.1", texts);
        Assert.Contains("fraction of steps done", texts);

        var chart = PngDecoder.Decode(summary.ChartPngPath!).Image;
        Assert.Equal((640, 400), (chart.Width, chart.Height));

        var html = File.ReadAllText(summary.ReportPath!);
        Assert.Contains("<svg", html);
        foreach (var label in new[] { "base", "distilled", "hybrid" })
        {
            Assert.Contains($"<td>{label}</td>", html);
        }
        var references = Regex.Matches(html, "(?:src|href)=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            if (reference.StartsWith("data:image/png;base64,", StringComparison.Ordinal))
            {
                Assert.Equal(grid.Width, PngDecoder.Decode(Convert.FromBase64String(reference["data:image/png;base64,".Length..])).Image.Width);
            }
            else
            {
                Assert.True(File.Exists(Path.Combine(folder.Path, reference)), $"the report links to a missing file: {reference}");
            }
        }
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp*"));
    }

    [Fact]
    public async Task CliPrintsOneJsonObjectPerStep()
    {
        using var folder = new TempFolder();
        var (code, output, _) = await DiversityInputTests.Cli("x0-trajectory", "a photo", "--mode", "hybrid", "distilled", "--count", "2", "--json",
            "--output", folder.Path, "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel);
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 * 2 * 4, lines.Length);
        using var json = JsonDocument.Parse(lines[0]);
        var root = json.RootElement;
        Assert.Equal("hybrid", root.GetProperty("mode").GetString());
        Assert.Equal("base", root.GetProperty("model").GetString());
        Assert.Equal(1, root.GetProperty("step").GetInt32());
        Assert.Equal(999, root.GetProperty("timestep").GetInt32());
        Assert.True(root.GetProperty("distanceToFinal").GetDouble() >= 0);
        Assert.True(File.Exists(root.GetProperty("path").GetString()));
        Assert.True(File.Exists(Path.Combine(folder.Path, X0TrajectoryRun.ReportName)));
    }

    [Theory]
    [InlineData("--every", "0")]
    [InlineData("--threshold", "1.5")]
    public async Task CliRejectsBadTrajectoryArguments(string option, string value)
    {
        using var folder = new TempFolder();
        var (code, _, errors) = await DiversityInputTests.Cli("x0-trajectory", "a photo", option, value, "--output", folder.Path);
        Assert.Equal(2, code);
        Assert.Contains($"hybrid: error: {option}: ", errors);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
