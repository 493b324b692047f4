using HybridDiffusion.Cli;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Core.Scheduling;
using HybridDiffusion.Tests.Analysis.Diversity;
using HybridDiffusion.Tests.Support;

namespace HybridDiffusion.Tests.Core.Sampling;

/// <summary>
/// Condition annealing (CADS), conditioning noise and the guidance interval: each pinned to its formula with values
/// worked out by hand, reproducible and independent of the batch on the demo pair, carried by plans, metadata and
/// model-call counts, and refused by name when a parameter is out of range.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DiversityMethodTests
{
    private static readonly SchedulerConfig Sdxl = TestSchedules.EulerTrailing;

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.6, 1.0)] // τ1 itself: still clean
    [InlineData(0.75, 0.5)] // (0.9 − 0.75) / (0.9 − 0.6)
    [InlineData(0.84, 0.2)]
    [InlineData(0.9, 0.0)] // τ2 itself: all noise
    [InlineData(1.0, 0.0)]
    public void TheCadsScheduleIsOneUpToTau1ThenFallsLinearlyToZeroAtTau2(double t, double gamma) =>
        Assert.Equal(gamma, new ConditionAnnealing().Gamma(t), 12);

    [Theory]
    // y = 1,2,3,4; n = 1,−1,1,−1; γ 0.25, s 0.5: ŷ = 0.5·y + 0.5·√0.75·n. ψ 0 keeps ŷ; ψ 1 rescales it to y's
    // mean 2.5 and deviation √1.25 (ŷ's: 1.25 and 0.53244); ψ 0.5 is halfway between.
    [InlineData(0.0, new[] { 0.9330127, 0.5669873, 1.9330127, 1.5669873 })]
    [InlineData(1.0, new[] { 1.8343818, 1.0657921, 3.9342079, 3.1656182 })]
    [InlineData(0.5, new[] { 1.3836972, 0.8163897, 2.9336103, 2.3663028 })]
    public void CadsNoisesRescalesAndMixesAsThePaperSays(double psi, double[] expected)
    {
        var noisy = new float[] { 1, -1, 1, -1 };
        ConditioningFormulas.Anneal(new float[] { 1, 2, 3, 4 }, noisy, gamma: 0.25, scale: 0.5, psi);
        Assert.Equal(expected, noisy.Select(v => Math.Round((double)v, 6)), new ToleranceComparer(2e-6));
    }

    [Fact]
    public void CadsAtGammaZeroKeepsOnlyTheNoiseRescaledToTheCleanStatistics()
    {
        var noisy = new float[] { 1, -1, 1, -1 };
        ConditioningFormulas.Anneal(new float[] { 1, 2, 3, 4 }, noisy, gamma: 0, scale: 0.25, psi: 1);
        // ŷ = 0.25·n: mean 0, deviation 0.25; rescaled to mean 2.5, deviation √1.25.
        double d = Math.Sqrt(1.25);
        Assert.Equal(new[] { 2.5 + d, 2.5 - d, 2.5 + d, 2.5 - d }, noisy.Select(v => (double)v), new ToleranceComparer(1e-6));
    }

    [Fact]
    public void ConditioningNoiseAddsStrengthTimesNoiseForTheFirstFractionOfSteps()
    {
        var noisy = new float[] { 0.5f, -2, 4 };
        ConditioningFormulas.AddNoise(new float[] { 1, 2, 3 }, noisy, 0.2);
        Assert.Equal(new[] { 1.1, 1.6, 3.8 }, noisy.Select(v => (double)v), new ToleranceComparer(1e-6));
        var half = new ConditioningNoise { Strength = 1 };
        Assert.Equal(new[] { true, true, false, false }, Enumerable.Range(0, 4).Select(s => half.Covers(s, 4)));
        var third = new ConditioningNoise { Strength = 1, Fraction = 0.3 };
        Assert.Equal(new[] { true, true, false, false }, Enumerable.Range(0, 4).Select(s => third.Covers(s, 4))); // 1 < 1.2
        Assert.Equal(new[] { true, false, false, false, false }, Enumerable.Range(0, 5).Select(s => new ConditioningNoise { Strength = 1, Fraction = 0.1 }.Covers(s, 5)));
        Assert.All(Enumerable.Range(0, 7), s => Assert.True(new ConditioningNoise { Strength = 1, Fraction = 1 }.Covers(s, 7)));
    }

    [Fact]
    public void TheGuidanceIntervalGuidesOnlyStepsWhoseSigmaLiesInItEdgesIncluded()
    {
        var scheduler = SchedulerFactory.Create(Sdxl);
        double sigma749 = scheduler.Noise.SigmaAt(749), sigma249 = scheduler.Noise.SigmaAt(249);
        Assert.Equal(TestSchedules.Sigma(0.056623), sigma749, 3); // REFERENCE.md's ᾱ749
        GuidanceAt(new GuidanceInterval(sigma249, sigma749), new[] { false, true, true, true });
        GuidanceAt(new GuidanceInterval(Math.BitIncrement(sigma249), sigma749), new[] { false, true, true, false });
        GuidanceAt(new GuidanceInterval(0.28, 5.42), new[] { false, true, true, true }); // the paper's SDXL interval
        GuidanceAt(null, new[] { true, true, true, true });

        void GuidanceAt(GuidanceInterval? interval, bool[] expected)
        {
            var plan = PlanBuilder.Build(GenerationMode.Base, new GenerationSettings { Steps = 4, BaseGuidance = 5, GuidanceInterval = interval }, _ => scheduler);
            Assert.Equal(new[] { 999.0, 749, 499, 249 }, plan.Segments[0].Steps.Select(s => s.Timestep));
            Assert.Equal(expected, plan.Segments[0].Steps.Select(s => plan.GuidesAt(plan.Segments[0], s)));
        }
    }

    [Theory]
    [InlineData("distilled:999,749,499,249+cads(tau1=0.6,tau2=0.9,scale=0.25,psi=1)")]
    [InlineData("base:999@5+interval(lo=0.28,hi=5.42);distilled:749,499,249+noise(strength=0.2,fraction=0.5)")]
    [InlineData("base:999@7+cads(tau1=0.5,tau2=0.8,scale=0.1,psi=0.5)+interval(lo=0,hi=100)")]
    public void PlanSegmentsCarryTheirMethodsThroughTheTextForm(string text)
    {
        var plan = PlanBuilder.Build(GenerationMode.Plan, new GenerationSettings { Plan = text }, _ => SchedulerFactory.Create(Sdxl));
        var again = PlanBuilder.Build(GenerationMode.Plan, new GenerationSettings { Plan = plan.ToString() }, _ => SchedulerFactory.Create(Sdxl));
        Assert.Equal(plan.ToString(), again.ToString());
        Assert.Contains("+", plan.ToString());
        Assert.Equal(plan.Segments.Select(s => (s.Annealing, s.ConditioningNoise, s.Interval)), again.Segments.Select(s => (s.Annealing, s.ConditioningNoise, s.Interval)));
    }

    [Fact]
    public void APlanSegmentNamesItsMethodsWithDefaultsAndTheRequestsFillTheRest()
    {
        var settings = new GenerationSettings { Plan = "base:999@5;distilled:749,499,249+cads", ConditioningNoise = null, GuidanceInterval = new GuidanceInterval(1, 2) };
        var plan = PlanBuilder.Build(GenerationMode.Plan, settings, _ => SchedulerFactory.Create(Sdxl));
        Assert.Equal(new ConditionAnnealing(), plan.Segments[1].Annealing);
        Assert.Equal(new GuidanceInterval(1, 2), plan.Segments[0].Interval);
        Assert.Null(plan.Segments[1].Interval); // unguided: the request's interval does not apply
        Assert.Equal("base:999@5+interval(lo=1,hi=2);distilled:749,499,249+cads(tau1=0.6,tau2=0.9,scale=0.25,psi=1)", plan.ToString());
    }

    [Theory]
    [InlineData("distilled:999+cads(tau1=0.95)", "must not be above τ2")]
    [InlineData("distilled:999+cads(psi=2)", "ψ must be between 0 and 1")]
    [InlineData("distilled:999+noise(fraction=0.5)", "needs strength=")]
    [InlineData("distilled:999+noise(strength=-1)", "strength must be a finite number ≥ 0")]
    [InlineData("distilled:999+noise(strength=1,fraction=0)", "above 0 and at most 1")]
    [InlineData("distilled:999+cads+noise(strength=1)", "cads or noise, not both")]
    [InlineData("distilled:999+cads(tau=1)", "takes no parameter 'tau'")]
    [InlineData("distilled:999+blur", "method 'blur' is not known")]
    [InlineData("distilled:999@5+interval(lo=3,hi=1)", "above its high σ")]
    [InlineData("distilled:999+interval(lo=1,hi=3)", "runs without guidance")]
    [InlineData("distilled:999@5+interval(lo=100,hi=200)", "outside the schedule's noise levels")]
    public void BadPlanMethodsAreRefusedByThePlan(string text, string expected)
    {
        var error = Assert.Throws<HybridDiffusionException>(() =>
            PlanBuilder.Build(GenerationMode.Plan, new GenerationSettings { Plan = text }, _ => SchedulerFactory.Create(Sdxl)));
        Assert.Equal(SettingId.Plan, error.Setting);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void TheSameSeedGivesTheSameBytesAndABatchOfTwoGivesTwoImagesOfOne()
    {
        foreach (var settings in new[]
        {
            new GenerationSettings { Annealing = new ConditionAnnealing() },
            new GenerationSettings { ConditioningNoise = new ConditioningNoise { Strength = 0.5 } },
        })
        {
            var request = DemoPair.Request("a red circle", GenerationMode.Distilled, new long[] { 3, 4 }, settings);
            var batched = TestEngine.Shared.Generate(request with { BatchSize = 2 }).ToList();
            var again = TestEngine.Shared.Generate(request with { BatchSize = 2 }).ToList();
            var single = TestEngine.Shared.Generate(request with { BatchSize = 1 }).ToList();
            var plain = TestEngine.Shared.Generate(request with { Settings = new GenerationSettings(), BatchSize = 1 }).ToList();
            Assert.Equal(2, batched.Max(i => i.BatchSize));
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(batched[i].Image.Pixels, again[i].Image.Pixels);
                Assert.Equal(batched[i].Image.Pixels, single[i].Image.Pixels);
            }
            // The method does change the picture (a seed may still land on the scene the clean prompt gives).
            Assert.Contains(Enumerable.Range(0, 2), i => !plain[i].Image.Pixels.SequenceEqual(single[i].Image.Pixels));
        }
    }

    [Fact]
    public void ANoiseThatCoversNoStepLeavesThePictureAsWithoutIt()
    {
        // CADS above τ2 = 1 never starts; conditioning noise of strength 0 adds nothing: the clean rows are written back.
        var seeds = new long[] { 5, 6 };
        var plain = DemoPair.Generate("a blue square", GenerationMode.Hybrid, seeds);
        var idle = DemoPair.Generate("a blue square", GenerationMode.Hybrid, seeds, new GenerationSettings { Annealing = new ConditionAnnealing { Tau1 = 1, Tau2 = 1 } });
        var zero = DemoPair.Generate("a blue square", GenerationMode.Hybrid, seeds, new GenerationSettings { ConditioningNoise = new ConditioningNoise { Strength = 0 } });
        Assert.All(plain.Zip(idle, zero), p =>
        {
            Assert.Equal(p.First.Image.Pixels, p.Second.Image.Pixels);
            Assert.Equal(p.First.Image.Pixels, p.Third.Image.Pixels);
        });
    }

    [Fact]
    public void APlanSegmentsMethodCountsStepsInTheWholePlanAndTheNextSegmentRunsOnTheCleanPrompt()
    {
        // Noise on the first quarter of four steps is the first step's alone, whether the request gives it to the one
        // distilled segment or the plan to a first segment of one step; the second segment shares the first's UNet
        // binding and must get the clean prompt back.
        var seeds = new long[] { 2, 3 };
        var whole = DemoPair.Generate("a blue square", GenerationMode.Distilled, seeds,
            new GenerationSettings { ConditioningNoise = new ConditioningNoise { Strength = 5, Fraction = 0.25 } });
        var split = DemoPair.Generate("a blue square", GenerationMode.Plan, seeds,
            new GenerationSettings { Plan = "distilled:999+noise(strength=5,fraction=0.25);distilled:759,499,259" });
        var plain = DemoPair.Generate("a blue square", GenerationMode.Distilled, seeds);
        Assert.Equal("distilled:999,759,499,259+noise(strength=5,fraction=0.25)", whole[0].Plan);
        Assert.All(whole.Zip(split), p => Assert.Equal(p.First.Image.Pixels, p.Second.Image.Pixels));
        Assert.Contains(split.Zip(plain), p => !p.First.Image.Pixels.SequenceEqual(p.Second.Image.Pixels));
    }

    [Fact]
    public void StepsOutsideTheIntervalRunOneUnguidedPassAndAreCountedSo()
    {
        var settings = new GenerationSettings { Steps = 10, BaseGuidance = 5 };
        var seeds = new long[] { 1, 2 };
        var guided = DemoPair.Generate("a red circle", GenerationMode.Base, seeds, settings);
        var everywhere = DemoPair.Generate("a red circle", GenerationMode.Base, seeds, settings with { GuidanceInterval = new GuidanceInterval(0, 1e9) });
        var unguided = DemoPair.Generate("a red circle", GenerationMode.Base, seeds, settings with { BaseGuidance = 0 });
        // An interval between the σ of the last two steps guides none of them.
        var between = DemoPair.Generate("a red circle", GenerationMode.Base, seeds, settings with { GuidanceInterval = IntervalBetweenLastSteps() });
        Assert.All(guided, i => Assert.Equal(20, i.ModelCalls));
        Assert.All(unguided, i => Assert.Equal(10, i.ModelCalls));
        Assert.All(between, i => Assert.Equal(10, i.ModelCalls));
        Assert.All(guided.Zip(everywhere), p => Assert.Equal(p.First.Image.Pixels, p.Second.Image.Pixels));
        Assert.All(unguided.Zip(between), p => Assert.Equal(p.First.Image.Pixels, p.Second.Image.Pixels));
        Assert.Contains("base interval(lo=", between[0].Methods);
        Assert.Contains(between[0].Metadata(), kv => kv.Key == "ModelCalls" && kv.Value == "10");
        Assert.Contains(between[0].Metadata(), kv => kv.Key == "Methods" && kv.Value == between[0].Methods);
        Assert.DoesNotContain(guided[0].Metadata(), kv => kv.Key == "Methods");

        GuidanceInterval IntervalBetweenLastSteps()
        {
            var plan = PlanBuilder.Build(GenerationMode.Base, settings, _ => DemoScheduler());
            var steps = plan.Segments[0].Steps;
            var sigmas = steps.Select(s => plan.SchedulerOf(plan.Segments[0]).Noise.SigmaAt(s.Timestep)).ToArray();
            return new GuidanceInterval(Math.BitIncrement(sigmas[^1]), Math.BitDecrement(sigmas[^2]));
        }
    }

    private static IDiffusionScheduler DemoScheduler() =>
        SchedulerFactory.Create(SchedulerConfig.Load(Path.Combine(DemoPair.Paths.BaseModel, "scheduler", "scheduler_config.json")));

    public static TheoryData<string[], string> BadOptions => new()
    {
        { new[] { "--mode", "distilled", "--cads-tau1", "0.95" }, "--cads-tau1: The CADS threshold τ1 (0.95) must not be above τ2 (0.9)" },
        { new[] { "--mode", "distilled", "--cads-tau2", "1.5" }, "--cads-tau2: " },
        { new[] { "--mode", "distilled", "--cads-tau1", "-0.1" }, "--cads-tau1: " },
        { new[] { "--mode", "distilled", "--cads-psi", "1.5" }, "--cads-psi: " },
        { new[] { "--mode", "distilled", "--cads-psi", "-1" }, "--cads-psi: " },
        { new[] { "--mode", "distilled", "--cads-scale", "-0.5" }, "--cads-scale: " },
        { new[] { "--mode", "distilled", "--condition-noise", "-1" }, "--condition-noise: " },
        { new[] { "--mode", "distilled", "--condition-noise", "1", "--condition-noise-fraction", "0" }, "--condition-noise-fraction: " },
        { new[] { "--mode", "distilled", "--condition-noise", "1", "--condition-noise-fraction", "1.5" }, "--condition-noise-fraction: " },
        { new[] { "--mode", "distilled", "--condition-noise-fraction", "0.5" }, "--condition-noise-fraction: " },
        { new[] { "--mode", "distilled", "--cads", "--condition-noise", "1" }, "--cads: " },
        { new[] { "--mode", "base", "--base-guidance", "5", "--guidance-interval", "3", "1" }, "--guidance-interval: " },
        { new[] { "--mode", "base", "--base-guidance", "5", "--guidance-interval", "3" }, "Required argument missing for option: '--guidance-interval'" },
        { new[] { "--mode", "base", "--base-guidance", "5", "--guidance-interval", "0", "0.001" }, "--guidance-interval: The guidance interval σ 0 to 0.001 lies outside" },
        { new[] { "--mode", "base", "--guidance-interval", "1", "2" }, "--guidance-interval: The guidance interval applies to segments with guidance above 1" },
        { new[] { "--mode", "plan", "--plan", "distilled:999,499+cads(psi=3)" }, "--plan: " },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task EachBadParameterEndsWithItsOptionExitTwoAndNothingWritten(string[] options, string expected)
    {
        using var folder = new TempFolder();
        var output = Path.Combine(folder.Path, "out");
        var (code, _, errors) = await DiversityInputTests.Cli(new[] { "new-image", "a red circle", "--output", output,
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel }.Concat(options).ToArray());
        Assert.Equal(2, code);
        Assert.Contains(expected, errors);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        private readonly double _tolerance;

        public ToleranceComparer(double tolerance) => _tolerance = tolerance;

        public bool Equals(double x, double y) => Math.Abs(x - y) <= _tolerance;

        public int GetHashCode(double value) => 0;
    }
}
