using Xunit.Abstractions;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Tests.Demo;

/// <summary>
/// --base-steps auto at the paper's scale (96 seeds a prompt) over the demo's prompt classes, the late-deciding clock
/// included: auto keeps at least 0.95 of the base model's diversity (RMS and SSIM) on every class, where one base step
/// for every prompt collapses the clock, and two lose part of the shapes' diversity (README, "The methods side by side").
/// </summary>
public sealed class AutomaticTransitionSweepTests
{
    private static readonly long[] Seeds = Enumerable.Range(0, 96).Select(i => (long)i).ToArray();
    private static readonly string[] Prompts =
        { "a red shape", "a circle", "a small shape", "a red circle", "a large blue shape", "a small square", "a red and blue shape", "a photo", "a clock" };
    private const int MeasureSize = 64;
    private readonly ITestOutputHelper _output;

    public AutomaticTransitionSweepTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void AutoKeepsBaseDiversityOnEveryClassWhereOneBaseStepCollapsesTheClock()
    {
        using var engine = new HybridEngine();
        var settings = new Dictionary<string, (GenerationMode Mode, GenerationSettings Settings)>
        {
            ["base"] = (GenerationMode.Base, new GenerationSettings { Steps = 50 }),
            ["auto"] = (GenerationMode.Hybrid, new GenerationSettings { AutoBaseSteps = true }),
            ["k=1"] = (GenerationMode.Hybrid, new GenerationSettings { BaseSteps = 1 }),
        };
        var ssim = new StructuralSimilarity(multiScale: false);
        var rms = new RmsDistance();
        var failures = new List<string>();
        foreach (var prompt in Prompts)
        {
            var diversity = settings.ToDictionary(s => s.Key, s =>
            {
                var pictures = engine.Generate(DemoPair.Request(prompt, s.Value.Mode, Seeds, s.Value.Settings))
                    .Select(i => ImageResampler.Resize(UnitImage.From(i.Image), MeasureSize, MeasureSize, ResizeFilter.Bilinear)).ToList();
                return (Rms: DemoSweep.Measure(rms, pictures).Mean, Ssim: DemoSweep.Measure(ssim, pictures).Mean);
            });
            var (baseRms, baseSsim) = diversity["base"];
            double autoRms = diversity["auto"].Rms / baseRms, autoSsim = diversity["auto"].Ssim / baseSsim, oneRms = diversity["k=1"].Rms / baseRms;
            _output.WriteLine($"{prompt,-22} auto RMS {autoRms:F3} SSIM {autoSsim:F3}; k=1 RMS {oneRms:F3}");
            if (autoRms < 0.95 || autoSsim < 0.95)
            {
                failures.Add($"'{prompt}': auto keeps RMS {autoRms:F3}, SSIM {autoSsim:F3} of base");
            }
            if (prompt == "a clock" && oneRms > 0.05)
            {
                failures.Add($"'{prompt}': one base step keeps RMS {oneRms:F3} of base; the clock should collapse");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
