using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Analysis.Trajectories;
using HybridDiffusion.Contracts.Demo;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests.Demo;

/// <summary>A prompt of the demo pair's prompt space and the class of vocabulary subsets it stands for.</summary>
public sealed record SweepPrompt(string Class, string Text);

/// <summary>One mode's mean pairwise distance and Vendi score on one prompt, under RMS and SSIM.</summary>
public sealed record SweepDiversity(double Rms, double Ssim, double RmsVendi, double SsimVendi);

/// <summary>What the sweep measured on one prompt.</summary>
/// <param name="DistilledFirstStep">Per seed: RMS distance of the distilled model's x̂0 after its first step to its final image.</param>
/// <param name="BaseFractionToReach">The fraction of its steps the base model's mean x̂0 needs to come within the threshold.</param>
public sealed record SweepFigures(SweepPrompt Prompt, IReadOnlyDictionary<GenerationMode, SweepDiversity> Diversity,
    IReadOnlyList<double> DistilledFirstStep, double BaseFractionToReach)
{
    public double Ratio(GenerationMode mode, Func<SweepDiversity, double> metric) => metric(Diversity[mode]) / metric(Diversity[GenerationMode.Base]);
}

/// <summary>
/// The demo pair over its whole prompt space: every class of vocabulary subset that leaves at least two scenes (each
/// colour, shape and size, each pair of attribute kinds), unknown words, two colours at once and the empty prompt. Each
/// prompt runs every mode on the same seeds; diversity is the mean pairwise distance of the final images, commitment
/// comes from the x̂0 trajectories.
/// </summary>
public static class DemoSweep
{
    public const double CommitmentThreshold = 0.1;
    public static readonly GenerationMode[] Modes =
        { GenerationMode.Base, GenerationMode.Distilled, GenerationMode.Hybrid, GenerationMode.SkipFirst, GenerationMode.Reverse };

    public static IReadOnlyList<SweepPrompt> Prompts()
    {
        var colours = DemoWorld.Colours.Select(c => c.Name).ToArray();
        var shapes = DemoWorld.Shapes;
        var sizes = DemoWorld.Sizes.Select(s => s.Name).ToArray();
        var prompts = new List<SweepPrompt>();
        prompts.AddRange(colours.Select(c => new SweepPrompt("colour", $"a {c} shape")));
        prompts.AddRange(shapes.Select(s => new SweepPrompt("shape", $"a {s}")));
        prompts.AddRange(sizes.Select(z => new SweepPrompt("size", $"a {z} thing")));
        prompts.AddRange(colours.SelectMany(c => shapes.Select(s => new SweepPrompt("colour+shape", $"a {c} {s}"))));
        prompts.AddRange(colours.SelectMany(c => sizes.Select(z => new SweepPrompt("colour+size", $"a {z} {c} shape"))));
        prompts.AddRange(shapes.SelectMany(s => sizes.Select(z => new SweepPrompt("shape+size", $"a {z} {s}"))));
        prompts.Add(new SweepPrompt("two colours", "a red or blue shape"));
        prompts.Add(new SweepPrompt("unknown words", "a picture of a dog on the left"));
        prompts.Add(new SweepPrompt("empty", ""));
        return prompts;
    }

    /// <param name="seeds">Seeds of every mode's images (diversity) and of the distilled model's trajectories.</param>
    /// <param name="baseTrajectorySeeds">How many of those seeds also trace the base model's 50-step trajectory.</param>
    /// <param name="measureSize">Side the images are resized to for the diversity metrics.</param>
    /// <param name="noise">The generator the seeds drive: the engine's fast stream or the torch-compatible one.</param>
    public static IReadOnlyList<SweepFigures> Run(IReadOnlyList<SweepPrompt> prompts, IReadOnlyList<long> seeds, int baseTrajectorySeeds,
        int measureSize, DemoModelPaths paths, NoiseKind noise)
    {
        GenerationRequest Request(GenerationMode[] modes, IEnumerable<long> used, int? every) => new()
        {
            Prompts = prompts.Select(p => p.Text).Distinct().ToArray(),
            Modes = modes,
            Seeds = used.ToArray(),
            Settings = new GenerationSettings(),
            BaseModel = paths.BaseModel,
            DistilledModel = paths.DistilledModel,
            TrajectoryEvery = every,
            NoiseSource = noise,
        };
        var images = TestEngine.Shared.Generate(Request(Modes.Where(m => m != GenerationMode.Distilled).ToArray(), seeds, null)).ToList();
        // The distilled run keeps its first and last x̂0; its final images are the distilled mode's.
        images.AddRange(TestEngine.Shared.Generate(Request(new[] { GenerationMode.Distilled }, seeds, GenerationSettings.DefaultDistilledSteps - 1)));
        var baseTrajectories = TestEngine.Shared.Generate(Request(new[] { GenerationMode.Base }, seeds.Take(baseTrajectorySeeds), 1))
            .ToLookup(i => i.Prompt);

        var ssim = new StructuralSimilarity(multiScale: false);
        var rms = new RmsDistance();
        var figures = new List<SweepFigures>();
        foreach (var prompt in prompts)
        {
            var diversity = new Dictionary<GenerationMode, SweepDiversity>();
            foreach (var mode in Modes)
            {
                var pictures = images.Where(i => i.Prompt == prompt.Text && i.Mode == mode)
                    .Select(i => ImageResampler.Resize(UnitImage.From(i.Image), measureSize, measureSize, ResizeFilter.Bilinear)).ToList();
                var (rmsMean, rmsVendi) = Measure(rms, pictures);
                var (ssimMean, ssimVendi) = Measure(ssim, pictures);
                diversity[mode] = new SweepDiversity(rmsMean, ssimMean, rmsVendi, ssimVendi);
            }
            var firstSteps = images.Where(i => i.Prompt == prompt.Text && i.Mode == GenerationMode.Distilled)
                .Select(i => i.Trajectory!.Single(s => s.StepIndex == 0).DistanceToFinal).ToList();
            var curves = new CurveAccumulator(CommitmentThreshold);
            foreach (var run in baseTrajectories[prompt.Text])
            {
                curves.Add("base", run.Trajectory!);
            }
            figures.Add(new SweepFigures(prompt, diversity, firstSteps, curves.Result().Commitments.Single().MeanCurveFraction));
        }
        return figures;
    }

    /// <summary>The two diversity metrics of the sweep and how each is read from a mode's figures.</summary>
    public static readonly (string Name, Func<SweepDiversity, double> Of)[] Metrics = { ("RMS", d => d.Rms), ("SSIM", d => d.Ssim) };

    /// <summary>The Vendi score of each of those metrics, read from a mode's figures.</summary>
    public static readonly (string Name, Func<SweepDiversity, double> Of)[] VendiScores = { ("RMS", d => d.RmsVendi), ("SSIM", d => d.SsimVendi) };

    /// <summary>
    /// One line per prompt class: the worst ratio to base of each mode under each metric (highest for the collapsing
    /// modes, lowest for the others), the worst distilled commitment distance and the base's least commitment fraction.
    /// </summary>
    public static IEnumerable<string> Table(IReadOnlyList<SweepFigures> figures)
    {
        yield return "class          prompts  distilled RMS/SSIM  reverse RMS/SSIM  hybrid RMS/SSIM  skip-first RMS/SSIM  distilled x̂0₁ max  base steps to 0.1";
        foreach (var group in figures.GroupBy(f => f.Prompt.Class))
        {
            string Worst(GenerationMode mode, bool highest) => string.Join("/", Metrics.Select(m =>
            {
                var ratios = group.Select(f => f.Ratio(mode, m.Of));
                return (highest ? ratios.Max() : ratios.Min()).ToString("F2");
            }));
            yield return $"{group.Key,-14} {group.Count(),7}  {Worst(GenerationMode.Distilled, true),18}  {Worst(GenerationMode.Reverse, true),16}  " +
                $"{Worst(GenerationMode.Hybrid, false),15}  {Worst(GenerationMode.SkipFirst, false),19}  " +
                $"{group.Max(f => f.DistilledFirstStep.Max()),17:F3}  {group.Min(f => f.BaseFractionToReach),17:P0}";
        }
        foreach (var mode in Modes.Skip(1))
        {
            yield return $"median {mode}: " + string.Join(", ", Metrics.Select(m => $"{m.Name} {Median(figures.Select(f => f.Ratio(mode, m.Of))):F2}×"));
        }
        yield return $"median base diversity: RMS {Median(figures.Select(f => f.Diversity[GenerationMode.Base].Rms)):F3}, " +
            $"SSIM {Median(figures.Select(f => f.Diversity[GenerationMode.Base].Ssim)):F3}; median base steps to 0.1: " +
            $"{Median(figures.Select(f => f.BaseFractionToReach)):P0}; distilled x̂0₁ max {figures.Max(f => f.DistilledFirstStep.Max()):F3}";
        foreach (var f in figures)
        {
            string Ratios(GenerationMode mode) => string.Join("/", Metrics.Select(m => f.Ratio(mode, m.Of).ToString("F2")));
            yield return $"  {f.Prompt.Text,-32} base {f.Diversity[GenerationMode.Base].Rms:F3}/{f.Diversity[GenerationMode.Base].Ssim:F3} " +
                $"distilled {Ratios(GenerationMode.Distilled)} reverse {Ratios(GenerationMode.Reverse)} hybrid {Ratios(GenerationMode.Hybrid)} " +
                $"skip-first {Ratios(GenerationMode.SkipFirst)} x̂0₁ {f.DistilledFirstStep.Max():F3} base {f.BaseFractionToReach:P0}";
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Mean pairwise distance and Vendi score of pictures under a metric.</summary>
    internal static (double Mean, double Vendi) Measure(IDistanceMetric metric, IReadOnlyList<UnitImage> pictures)
    {
        var measured = metric.Compute(pictures, null, CancellationToken.None);
        return (PairwiseStatistics.Of(measured.Matrix).Mean, measured.VendiScore());
    }
}
