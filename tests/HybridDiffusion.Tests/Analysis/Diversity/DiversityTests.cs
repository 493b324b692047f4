using Xunit.Abstractions;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>The method's central claim on the demo pair, under every metric: hybrid keeps base diversity, distilled loses it.</summary>
public sealed class DiversityTests
{
    private static readonly long[] Seeds = Enumerable.Range(100, 48).Select(i => (long)i).ToArray();
    private readonly ITestOutputHelper _output;

    public DiversityTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void HybridKeepsBaseDiversityWhileDistilledCollapsesUnderEveryMetric()
    {
        var modes = new[] { GenerationMode.Base, GenerationMode.Distilled, GenerationMode.Hybrid, GenerationMode.Reverse };
        var samples = modes.SelectMany(m => DemoPair.Generate("a square", m, Seeds)).Select(DiversitySample.FromGenerated).ToList();
        var outcome = DiversityAnalyzer.Measure(TestEngine.Shared, new DiversityRequest
        {
            GroupBy = "Mode",
            Metrics = new[] { DiversityMetric.Rms, DiversityMetric.Ssim, DiversityMetric.MsSsim, DiversityMetric.Embedding },
            Embedding = new EmbeddingOptions { ModelPath = DemoPair.Paths.EmbeddingModel },
            ReferenceGroup = "Base",
        }, samples);
        Assert.Empty(outcome.Problems);
        foreach (var metric in Enum.GetValues<DiversityMetric>())
        {
            DiversityReport Report(GenerationMode mode) => outcome.Reports.Single(r => r.Metric == metric && r.Group == mode.ToString());
            var (baseline, distilled, hybrid, reverse) = (Report(GenerationMode.Base), Report(GenerationMode.Distilled), Report(GenerationMode.Hybrid), Report(GenerationMode.Reverse));
            _output.WriteLine($"{metric,-9} mean: base {baseline.Mean:F4} distilled {distilled.Mean:F4} ({distilled.Comparison!.Ratio:F3}×) " +
                $"hybrid {hybrid.Mean:F4} ({hybrid.Comparison!.Ratio:F3}×) reverse {reverse.Mean:F4} ({reverse.Comparison!.Ratio:F3}×) | " +
                $"Vendi base {baseline.Vendi:F3} distilled {distilled.Vendi:F3} hybrid {hybrid.Vendi:F3}");

            Assert.True(distilled.Comparison.Ratio < 0.6, $"{metric}: distilled should be < 0.6 × base; got {distilled.Comparison.Ratio:F3}");
            Assert.True(hybrid.Comparison.Ratio >= 0.85, $"{metric}: hybrid should be ≥ 0.85 × base; got {hybrid.Comparison.Ratio:F3}");
            // The paper's causal control: running the distilled model first does not restore diversity.
            Assert.True(reverse.Comparison.Ratio < 0.75 && reverse.Mean < 0.75 * hybrid.Mean,
                $"{metric}: reverse should stay collapsed, well below base and hybrid; got {reverse.Comparison.Ratio:F3}× base");
            Assert.True(distilled.Comparison.Separated, $"{metric}: the distilled and base intervals should separate");
            Assert.True(hybrid.Vendi > distilled.Vendi && baseline.Vendi > distilled.Vendi, $"{metric}: Vendi should rank base and hybrid above distilled");
        }
    }
}
