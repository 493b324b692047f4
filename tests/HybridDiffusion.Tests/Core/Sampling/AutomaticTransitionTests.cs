using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Tests.Support;

namespace HybridDiffusion.Tests.Core.Sampling;

/// <summary>
/// --base-steps auto: the probe's budget (counted through the images' and the probe's own model calls), the engine's
/// cache, the choice the probe's figures give, shard independence (the probe's seeds are not the request's),
/// determinism and that the probe leaves the images' noise alone, and the refusals.
/// </summary>
public sealed class AutomaticTransitionTests
{
    private static readonly GenerationSettings Auto = new() { AutoBaseSteps = true };

    private static List<GeneratedImage> Generate(HybridEngine engine, string prompt, IEnumerable<long> seeds, GenerationSettings? settings = null) =>
        engine.Generate(DemoPair.Request(prompt, GenerationMode.Hybrid, seeds, settings ?? Auto)).ToList();

    [Theory]
    [InlineData(4, 0f, 0f)]
    [InlineData(2, 0f, 0f)]
    [InlineData(8, 0f, 0f)]
    [InlineData(4, 3f, 0f)] // a guided base: two calls a base step, in the probe and in the images
    [InlineData(6, 2f, 2f)]
    public void ProbingSixteenSeedsCostsAtMostAQuarterOfTheirModelCalls(int steps, float baseGuidance, float guidance)
    {
        using var engine = new HybridEngine();
        var images = Generate(engine, "a red shape", Enumerable.Range(0, 16).Select(i => (long)i),
            Auto with { Steps = steps, BaseGuidance = baseGuidance, Guidance = guidance });
        var choice = images[0].Transition!;
        Assert.All(images, image => Assert.Equal(choice.ModelCalls, image.Transition!.ModelCalls));
        Assert.True(4 * choice.ModelCalls <= images.Sum(i => i.ModelCalls),
            $"probe {choice.ModelCalls} calls against {images.Sum(i => i.ModelCalls)} for the 16 images");
        // The probe's count is what its plan runs: base steps 0…K − 1 and a distilled prediction at 1…K, per seed.
        int perBaseStep = baseGuidance > 1 ? 2 : 1, perDistilledStep = guidance > 1 ? 2 : 1;
        Assert.Equal(choice.ProbeSeeds * (choice.Candidates * perBaseStep + choice.Candidates * perDistilledStep), choice.ModelCalls);
        Assert.InRange(choice.BaseSteps, 1, steps - 1);
    }

    [Fact]
    public void TheProbesSizeFitsTheBudgetAtEveryStepCountAndGuidance()
    {
        foreach (int steps in Enumerable.Range(2, 60))
        {
            foreach (var (baseCalls, distilledCalls) in new[] { (1, 1), (2, 1), (1, 2), (2, 2) })
            {
                int CallsAt(ModelRole role, int _) => role == ModelRole.Base ? baseCalls : distilledCalls;
                var (seeds, candidates) = TransitionProbe.Size(steps, CallsAt);
                int cheapestImage = Enumerable.Range(1, steps - 1).Min(k => k * baseCalls + (steps - k) * distilledCalls);
                Assert.True(4 * seeds * TransitionProbe.CallsPerSeed(candidates, CallsAt) <= 16 * cheapestImage, $"{steps} steps, {baseCalls}/{distilledCalls} calls a step");
                Assert.InRange(seeds, TransitionProbe.MinSeeds, TransitionProbe.MaxSeeds);
                Assert.InRange(candidates, Math.Min(2, steps - 1), steps - 1);
            }
        }
    }

    [Fact]
    public void AnEngineProbesAPromptOnceAndKeepsABoundedCache()
    {
        using var engine = new HybridEngine();
        var first = Generate(engine, "a blue shape", new long[] { 0, 1, 2 });
        var again = Generate(engine, "a blue shape", new long[] { 7 });
        Assert.All(first, image => Assert.False(image.Transition!.Cached));
        Assert.True(again[0].Transition!.Cached);
        Assert.Equal(first[0].Transition! with { Cached = true }, again[0].Transition!, TransitionEquality.Instance);
        Assert.Equal(1, engine.Transitions.Count);
        // Another prompt, or the same prompt at another step count, is another probe.
        Generate(engine, "a blue circle", new long[] { 0 });
        Generate(engine, "a blue shape", new long[] { 0 }, Auto with { Steps = 6 });
        Assert.Equal(3, engine.Transitions.Count);

        var cache = new TransitionChoices();
        int probes = 0;
        TransitionChoice Probe()
        {
            probes++;
            return new TransitionChoice(1, 2, new[] { 1.0, 1.0 }, 8, false);
        }
        TransitionKey Key(int i) => new($"prompt {i}", "", false, 4, 0, 0, "", "", "", "b", "d", "", 128, 128, NoiseKind.Fast);
        for (int i = 0; i < TransitionChoices.Capacity + 44; i++)
        {
            cache.GetOrProbe(Key(i), Probe);
        }
        Assert.Equal(TransitionChoices.Capacity, cache.Count);
        Assert.True(cache.GetOrProbe(Key(TransitionChoices.Capacity + 43), Probe).Cached);
        Assert.False(cache.GetOrProbe(Key(0), Probe).Cached); // the least recently used went first
        Assert.Equal(TransitionChoices.Capacity + 45, probes);
    }

    [Fact]
    public void TheChoiceIsTheSameInEveryShardAndLeavesTheImagesNoiseAlone()
    {
        using var one = new HybridEngine();
        using var other = new HybridEngine();
        var shardA = Generate(one, "a green shape", new long[] { 0, 1, 2, 3 });
        var shardB = Generate(other, "a green shape", new long[] { 100, 101 });
        Assert.Equal(shardA[0].Transition!, shardB[0].Transition!, TransitionEquality.Instance);

        // Same request, fresh engine: the same k and the same bytes; and the images are those of that fixed k.
        using var third = new HybridEngine();
        var repeat = Generate(third, "a green shape", new long[] { 0, 1, 2, 3 });
        var fixedK = Generate(third, "a green shape", new long[] { 0, 1, 2, 3 }, new GenerationSettings { BaseSteps = shardA[0].Transition!.BaseSteps });
        for (int i = 0; i < shardA.Count; i++)
        {
            Assert.Equal(shardA[i].Image.GetPixels(), repeat[i].Image.GetPixels());
            Assert.Equal(shardA[i].Image.GetPixels(), fixedK[i].Image.GetPixels());
            Assert.Equal(shardA[i].Plan, fixedK[i].Plan);
        }
    }

    [Fact]
    public void TheProbeSeedsComeFromThePromptAndTheModelsOnly()
    {
        byte[] a = { 1, 2, 3 }, b = { 4, 5, 6 };
        var seeds = TransitionProbe.Seeds("a red circle", a, b, 4);
        Assert.Equal(seeds, TransitionProbe.Seeds("a red circle", a, b, 4));
        Assert.Equal(4, seeds.Distinct().Count());
        Assert.All(seeds, s => Assert.True(s >= 0));
        Assert.NotEqual(seeds, TransitionProbe.Seeds("a red square", a, b, 4));
        Assert.NotEqual(seeds, TransitionProbe.Seeds("a red circle", b, a, 4));
    }

    [Fact]
    public void KIsTheFirstCandidateWhoseSpreadReachesTheLastOnesAndTheClockGetsMoreBaseStepsThanTheShapes()
    {
        using var engine = new HybridEngine();
        var shapes = new[] { "a red shape", "a circle", "a large blue shape", "a small square", "a red and blue shape", "a photo" };
        var clocks = new[] { "a clock", "a watch", "a photo of a clock", "an old clock" };
        var prompts = shapes.Concat(clocks).ToArray();
        var choices = prompts.Select(p => Generate(engine, p, new long[] { 0 })[0]).ToList();
        foreach (var image in choices)
        {
            var choice = image.Transition!;
            int first = Enumerable.Range(0, choice.Candidates).FirstOrDefault(choice.Reaches, choice.Candidates - 1);
            Assert.Equal(first + 1, choice.BaseSteps);
            Assert.Equal(choice.BaseSteps, image.Plan.Split(';')[0].Split(',').Length);
            Assert.Contains(image.Metadata(), kv => kv.Key == "Transition" && kv.Value.StartsWith($"auto k={choice.BaseSteps}: ", StringComparison.Ordinal));
        }
        // The demo's clock is decided late (its hand), and one base step leaves the distilled model one picture for it; the
        // shapes' scenes are told apart early, and one base step keeps their diversity.
        var said = string.Join("; ", choices.Select(i => $"{i.Prompt}: {i.Transition}"));
        Assert.All(choices.Where(i => clocks.Contains(i.Prompt)), image => Assert.True(image.Transition!.BaseSteps >= 2, said));
        Assert.All(choices.Where(i => clocks.Contains(i.Prompt)), image => Assert.True(image.Transition!.DistilledSpread[0] < 0.01, said));
        Assert.True(choices.Count(i => shapes.Contains(i.Prompt) && i.Transition!.BaseSteps == 1) >= shapes.Length - 1, said);
    }

    [Theory]
    [InlineData(GenerationMode.Distilled)]
    [InlineData(GenerationMode.Base)]
    [InlineData(GenerationMode.Reverse)]
    public void AutoWithoutTheHybridModeIsRefusedByName(GenerationMode mode)
    {
        var request = DemoPair.Request("a square", mode, new long[] { 0 }, Auto);
        var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(request).ToList());
        Assert.Equal(SettingId.BaseSteps, ex.Setting);
        Assert.Equal(HybridErrorKind.InvalidArgument, ex.Kind);
        Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(DemoPair.Request("a square", GenerationMode.Hybrid, new long[] { 0 },
            Auto with { Steps = 1 })).ToList());
        Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(DemoPair.Request("a square", GenerationMode.Hybrid, new long[] { 0 },
            Auto with { BaseSteps = 2 })).ToList());
    }

    [Theory]
    [InlineData("auto", true, 1)]
    [InlineData("Auto", true, 1)]
    [InlineData(" AUTO ", true, 1)]
    [InlineData("3", false, 3)]
    public void BothFacesReadANumberOrAuto(string text, bool auto, int baseSteps)
    {
        var settings = BaseStepsArgument.ApplyTo(new GenerationSettings(), text);
        Assert.Equal((auto, baseSteps), (settings.AutoBaseSteps, settings.BaseSteps));
        var ex = Assert.Throws<HybridDiffusionException>(() => BaseStepsArgument.ApplyTo(new GenerationSettings(), "often"));
        Assert.Equal(SettingId.BaseSteps, ex.Setting);
    }

    /// <summary>Choices compared by their figures (the records hold lists, which compare by reference).</summary>
    private sealed class TransitionEquality : IEqualityComparer<TransitionChoice>
    {
        public static readonly TransitionEquality Instance = new();

        public bool Equals(TransitionChoice? x, TransitionChoice? y) => x is not null && y is not null && x.ToString() == y.ToString();

        public int GetHashCode(TransitionChoice obj) => obj.ToString().GetHashCode(StringComparison.Ordinal);
    }
}
