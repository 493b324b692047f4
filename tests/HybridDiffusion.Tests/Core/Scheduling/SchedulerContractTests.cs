using System.Runtime.InteropServices;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>
/// What every scheduler the factory builds must satisfy (REFERENCE.md §2), over noise schedules, spacings, prediction
/// types and step counts: a scheduler added to <see cref="SchedulerFactory.Supported"/> is held to it without a new test.
/// </summary>
public sealed class SchedulerContractTests
{
    public static TheoryData<string> Kinds() => new(SchedulerFactory.Supported);

    private static readonly int[] StepCounts = { 1, 2, 3, 4, 8, 25, 50 };

    // SD's schedule with each spacing, and diffusers' DDIM defaults (linear betas, leading, ᾱ set to one at the end).
    private static readonly SchedulerConfig[] Configs =
    {
        TestSchedules.StableDiffusion,
        TestSchedules.StableDiffusion with { TimestepSpacing = "trailing", StepsOffset = 0 },
        TestSchedules.StableDiffusion with { TimestepSpacing = "linspace", StepsOffset = 0 },
        new SchedulerConfig(),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheScheduleHasTheRequestedStepsStrictlyDecreasingInsideTheTrainingRange(string kind)
    {
        foreach (var (scheduler, steps, name) in Cases(kind))
        {
            var schedule = scheduler.CreateSchedule(steps);
            Assert.True(schedule.Count == steps, $"{name}: {schedule.Count} steps");
            for (int i = 0; i < steps; i++)
            {
                var step = schedule.Steps[i];
                Assert.True(step.Index == i && step.IsLast == (i == steps - 1), $"{name}: step {i} is {step}");
                Assert.True(step.Timestep >= 0 && step.Timestep <= scheduler.Config.NumTrainTimesteps - 1, $"{name}: timestep {step.Timestep}");
                Assert.True(i == 0 || step.Timestep < schedule.Steps[i - 1].Timestep, $"{name}: {step.Timestep} follows {schedule.Steps[Math.Max(i - 1, 0)].Timestep}");
                // The step goes down to its previous timestep, and only the last one goes past the end (negative).
                Assert.True(step.PrevTimestep < step.Timestep, $"{name}: step {i} goes from {step.Timestep} up to {step.PrevTimestep}");
                Assert.True(step.IsLast == step.PrevTimestep < 0, $"{name}: step {i} of {steps} goes to {step.PrevTimestep}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void NoiseLevelsArePositiveAndFallToTheTerminalLevel(string kind)
    {
        foreach (var (scheduler, steps, name) in Cases(kind))
        {
            var schedule = scheduler.CreateSchedule(steps);
            var sigmas = schedule.Steps.Select(s => scheduler.Noise.SigmaAt(s.Timestep)).ToArray();
            double terminal = TestSchedules.Sigma(scheduler.Noise.AlphaCumprodAt(schedule.Steps[^1].PrevTimestep));
            Assert.All(sigmas, s => Assert.True(double.IsFinite(s) && s > 0, $"{name}: σ {s}"));
            Assert.True(terminal >= 0 && terminal <= sigmas[^1], $"{name}: terminal σ {terminal} after {sigmas[^1]}");
            for (int i = 1; i < sigmas.Length; i++)
            {
                Assert.True(sigmas[i] < sigmas[i - 1], $"{name}: σ {sigmas[i]} follows {sigmas[i - 1]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheInitialNoiseIsPureNoiseOrUnitVarianceAtTheFirstTimestep(string kind)
    {
        // diffusers' init_noise_sigma seen in the variance-preserving space: 1 (x0's unit variance counted: DDIM, LCM,
        // Euler with leading spacing) or √(1−ᾱ) (the noise alone: Euler's σ_max with trailing and linspace spacing).
        foreach (var (scheduler, steps, name) in Cases(kind))
        {
            double first = scheduler.CreateSchedule(steps).Steps[0].Timestep;
            var sigma = new[] { scheduler.InitNoiseSigma(first) };
            LatentSpaces.Convert(scheduler, VariancePreserving(scheduler), first, sigma);
            double noiseOnly = Math.Sqrt(1 - scheduler.Noise.AlphaCumprodAt(first));
            Assert.True(Math.Abs(sigma[0] - 1) < 1e-4 || Math.Abs(sigma[0] - noiseOnly) < 1e-4,
                $"{name}: initial noise σ {scheduler.InitNoiseSigma(first)} is {sigma[0]} in the VP space, neither 1 nor {noiseOnly}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AnExactPredictionRecoversTheCleanSampleAndStepsItToThePreviousLevel(string kind)
    {
        // x_t = √ᾱ·x0 + √(1−ᾱ)·ε (in the scheduler's own space) and a model output that is exactly right for it. With
        // fresh noise of zero a step is linear, so stepping (x0, ε) and (x0, −ε) and taking the half sum leaves x0's part,
        // which every step, the last included, must bring to √ᾱ_prev·x0; the half difference is the noise left, at most
        // √(1−ᾱ_prev)·ε and never turned against ε.
        float[] x0 = { 0.8f, -0.5f, 0.1f, -0.95f }, epsilon = { 1.3f, -0.7f, -2.1f, 0.4f };
        foreach (var prediction in Enum.GetValues<PredictionType>())
        {
            foreach (var (scheduler, steps, name) in Cases(kind, c => c with { PredictionType = prediction }))
            {
                foreach (var step in scheduler.CreateSchedule(steps).Steps)
                {
                    string where = $"{name}, {prediction}, t {step.Timestep} → {step.PrevTimestep}";
                    var (plus, plusOriginal) = ExactStep(scheduler, step, x0, epsilon, 1);
                    var (minus, minusOriginal) = ExactStep(scheduler, step, x0, epsilon, -1);
                    double alphaPrev = scheduler.Noise.AlphaCumprodAt(step.PrevTimestep);
                    for (int i = 0; i < x0.Length; i++)
                    {
                        Assert.True(Math.Abs(plusOriginal[i] - x0[i]) < 1e-3 && Math.Abs(minusOriginal[i] - x0[i]) < 1e-3,
                            $"{where}: x̂0 {plusOriginal[i]}, {minusOriginal[i]} for x0 {x0[i]}");
                        double clean = (plus[i] + minus[i]) / 2, noise = (plus[i] - minus[i]) / 2 / epsilon[i];
                        Assert.True(Math.Abs(clean - Math.Sqrt(alphaPrev) * x0[i]) < 1e-3, $"{where}: clean part {clean}, not √ᾱ_prev·x0");
                        Assert.True(noise > -1e-4 && noise < Math.Sqrt(1 - alphaPrev) + 1e-4, $"{where}: noise {noise}·ε left at ᾱ_prev {alphaPrev}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AZeroModelOutputRunIsFiniteAndTheSameBytesEachTime(string kind)
    {
        foreach (var (scheduler, steps, name) in Cases(kind))
        {
            var first = Run(scheduler, steps, seed: 7, ZeroModel);
            Assert.True(first.All(float.IsFinite), $"{name}: not finite");
            Assert.True(Bytes(first).SequenceEqual(Bytes(Run(scheduler, steps, seed: 7, ZeroModel))), $"{name}: a second run differs");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OneInstanceSharedByTwoInterleavedImagesGivesWhatTwoInstancesGive(string kind)
    {
        foreach (var (scheduler, steps, name) in Cases(kind))
        {
            var alone = new[] { Run(Twin(scheduler), steps, seed: 1, LinearModel), Run(Twin(scheduler), steps, seed: 2, LinearModel) };
            var schedule = scheduler.CreateSchedule(steps);
            var images = new[] { new Image(scheduler, schedule, seed: 1), new Image(scheduler, schedule, seed: 2) };
            foreach (var step in schedule.Steps)
            {
                foreach (var image in images)
                {
                    image.Step(scheduler, step, LinearModel);
                }
            }
            for (int i = 0; i < images.Length; i++)
            {
                Assert.True(Bytes(alone[i]).SequenceEqual(Bytes(images[i].Sample)), $"{name}: image {i} differs when the scheduler is shared");
            }
        }
    }

    private static IEnumerable<(IDiffusionScheduler Scheduler, int Steps, string Name)> Cases(string kind, Func<SchedulerConfig, SchedulerConfig>? vary = null)
    {
        foreach (var config in Configs)
        {
            var scheduler = SchedulerFactory.Create((vary?.Invoke(config) ?? config) with { ClassName = kind });
            foreach (int steps in StepCounts)
            {
                yield return (scheduler, steps, $"{scheduler.Name} {config.BetaSchedule} {config.TimestepSpacing} {steps} steps");
            }
        }
    }

    private static IDiffusionScheduler Twin(IDiffusionScheduler scheduler) => SchedulerFactory.Create(scheduler.Config);

    private static IDiffusionScheduler VariancePreserving(IDiffusionScheduler scheduler) =>
        SchedulerFactory.Create(scheduler.Config with { ClassName = "DDIMScheduler" });

    private static (float[] Sample, float[] Original) ExactStep(IDiffusionScheduler scheduler, ScheduleStep step, float[] x0, float[] epsilon, int sign)
    {
        double alpha = scheduler.Noise.AlphaCumprodAt(step.Timestep);
        var noise = epsilon.Select(e => sign * e).ToArray();
        var sample = x0.Select((x, i) => (float)(Math.Sqrt(alpha) * x + Math.Sqrt(1 - alpha) * noise[i])).ToArray();
        LatentSpaces.Convert(VariancePreserving(scheduler), scheduler, step.Timestep, sample);
        var output = scheduler.Config.PredictionType switch
        {
            PredictionType.Epsilon => noise,
            PredictionType.VPrediction => x0.Select((x, i) => (float)(Math.Sqrt(alpha) * noise[i] - Math.Sqrt(1 - alpha) * x)).ToArray(),
            _ => x0,
        };
        var original = new float[x0.Length];
        scheduler.Step(step, output, sample, original, new float[x0.Length], new ZeroNoise());
        LatentSpaces.Convert(scheduler, VariancePreserving(scheduler), step.PrevTimestep, sample);
        return (sample, original);
    }

    private static void ZeroModel(ReadOnlySpan<float> input, double timestep, Span<float> output) => output.Clear();

    // An output that depends on the input and the timestep, so that any state carried between calls would show.
    private static void LinearModel(ReadOnlySpan<float> input, double timestep, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = 0.3f * input[i] + (float)(timestep / 1000) * (i % 3 - 1);
        }
    }

    private delegate void Model(ReadOnlySpan<float> input, double timestep, Span<float> output);

    private static float[] Run(IDiffusionScheduler scheduler, int steps, long seed, Model model)
    {
        var schedule = scheduler.CreateSchedule(steps);
        var image = new Image(scheduler, schedule, seed);
        foreach (var step in schedule.Steps)
        {
            image.Step(scheduler, step, model);
        }
        return image.Sample;
    }

    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>One image's buffers and noise stream: all the state a run has.</summary>
    private sealed class Image
    {
        private const int Length = 64;
        private readonly INoiseSource _noise;
        private readonly float[] _input = new float[Length], _output = new float[Length], _original = new float[Length], _scratch = new float[Length];

        public Image(IDiffusionScheduler scheduler, Schedule schedule, long seed)
        {
            _noise = NoiseSources.Create(NoiseKind.Fast, seed);
            _noise.Fill(Sample, scheduler.InitNoiseSigma(schedule.Steps[0].Timestep));
        }

        public float[] Sample { get; } = new float[Length];

        public void Step(IDiffusionScheduler scheduler, ScheduleStep step, Model model)
        {
            scheduler.ScaleModelInput(step, Sample, _input);
            model(_input, step.Timestep, _output);
            scheduler.Step(step, _output, Sample, _original, _scratch, _noise);
        }
    }

    private sealed class ZeroNoise : INoiseSource
    {
        public void Fill(Span<float> destination, float scale = 1f) => destination.Clear();
    }
}
