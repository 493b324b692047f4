using System.Security.Cryptography;
using System.Text;
using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Chooses a prompt's hybrid transition point k (--base-steps auto). A few probe seeds run the base model along the
/// hybrid's schedule for K steps; after k base steps (latent x_k at t_k, k = 1 … K) the distilled model predicts x̂0
/// once from x_k. The spread at k is the mean pairwise RMS distance of the probe seeds' decoded distilled x̂0. A
/// distilled model that takes over too early collapses: it gives every seed the same picture whatever x_k holds. After
/// K base steps it follows what the base model has fixed, so its spread there is the reference. k is the smallest
/// candidate whose spread reaches <see cref="TransitionChoice.Threshold"/> of the reference, else K. Both sides are the
/// distilled model's decided pictures, so the comparison is like with like (the base model's own x̂0 at t_k is still
/// a blur of the scenes it may become). The probe's seeds come from a hash of the prompt and both UNets' fingerprints,
/// never from the request's seeds, so every shard of a study chooses the same k; its noise streams are its own, so no
/// image's noise changes.
/// </summary>
internal static class TransitionProbe
{
    /// <summary>The seeds and calls are sized so that probing costs at most a quarter of the calls of this many images.</summary>
    public const int BudgetImages = 16;

    public const int MinSeeds = 2, MaxSeeds = 4;

    /// <summary>
    /// The probe's size for a hybrid of <paramref name="steps"/> steps: as many seeds (4 down to 2), then as many
    /// candidates (K ≤ steps − 1, and at least 2 where there are 3 steps or more, or the probe could only ever say
    /// k = 1), as fit a quarter of the model calls of <see cref="BudgetImages"/> images at their cheapest k. Seeds come
    /// first: with two seeds a spread is one pair, and a model that keeps diversity still gives two seeds the same
    /// picture as often as the prompt has few scenes. <paramref name="callsAt"/> gives a step's UNet evaluations per
    /// image for a model (two when guided).
    /// </summary>
    public static (int Seeds, int Candidates) Size(int steps, Func<ModelRole, int, int> callsAt)
    {
        int cheapestImage = Enumerable.Range(1, steps - 1).Min(k =>
            Enumerable.Range(0, k).Sum(i => callsAt(ModelRole.Base, i)) + Enumerable.Range(k, steps - k).Sum(i => callsAt(ModelRole.Distilled, i)));
        int budget = BudgetImages * cheapestImage / 4;
        int fewestCandidates = Math.Min(2, steps - 1);
        for (int seeds = MaxSeeds; seeds >= MinSeeds; seeds--)
        {
            for (int candidates = steps - 1; candidates >= fewestCandidates; candidates--)
            {
                if (seeds * CallsPerSeed(candidates, callsAt) <= budget)
                {
                    return (seeds, candidates);
                }
            }
        }
        // Not reached for 2 steps or more (two seeds, two candidates: at most 8 calls a seed against 16 × 3 / 4).
        return (MinSeeds, fewestCandidates);
    }

    /// <summary>Base steps 0 … K − 1, then one distilled prediction at each of steps 1 … K.</summary>
    public static int CallsPerSeed(int candidates, Func<ModelRole, int, int> callsAt) =>
        Enumerable.Range(0, candidates).Sum(i => callsAt(ModelRole.Base, i)) + Enumerable.Range(1, candidates).Sum(i => callsAt(ModelRole.Distilled, i));

    /// <summary>The probe seeds: SHA-256 of the prompt and both UNets' fingerprints.</summary>
    public static long[] Seeds(string prompt, byte[] baseFingerprint, byte[] distilledFingerprint, int count)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(prompt));
        hash.AppendData(new byte[] { 0 });
        hash.AppendData(baseFingerprint);
        hash.AppendData(distilledFingerprint);
        var digest = hash.GetHashAndReset();
        return Enumerable.Range(0, count).Select(i => BitConverter.ToInt64(digest, 8 * i) & long.MaxValue).ToArray();
    }

    /// <summary>
    /// The probe's plan for <paramref name="candidates"/> = K: one base segment over the hybrid's steps 0 … K − 1 (the
    /// base segment's guidance, interval and scheduler), then K one-step distilled segments at steps 1 … K, each run from
    /// a copy of the base latent before that step. No diversity method: the probe measures the models.
    /// </summary>
    public static SamplingPlan PlanFor(SamplingPlan hybrid, int candidates)
    {
        var steps = hybrid.Segments.SelectMany(s => s.Steps).ToArray();
        var (baseSegment, distilledSegment) = (hybrid.Segments[0], hybrid.Segments[1]);
        var segments = new List<PlanSegment> { Plain(baseSegment) with { Steps = steps.Take(candidates).ToArray() } };
        segments.AddRange(Enumerable.Range(1, candidates).Select(k => Plain(distilledSegment) with { Steps = new[] { steps[k] } }));
        return hybrid with { Segments = segments };
    }

    private static PlanSegment Plain(PlanSegment segment) => segment with { Annealing = null, ConditioningNoise = null };

    /// <summary>Runs the probe plan (<see cref="PlanFor"/>) for <paramref name="seeds"/> through the session and chooses k.</summary>
    public static TransitionChoice Run(GenerationSession session, SamplingPlan probePlan, string prompt, string? negativePrompt, NoiseKind noise,
        IReadOnlyList<long> seeds, RunOptions runOptions, CancellationToken cancellation)
    {
        int candidates = probePlan.Segments.Count - 1;
        var jobs = seeds.Select((seed, i) => new ImageJob(i, prompt, GenerationMode.Hybrid, seed, probePlan, null, noise)).ToArray();
        var baseRun = session.Encode(jobs, negativePrompt, runOptions);
        foreach (var job in jobs)
        {
            job.Start(baseRun.Channels, session.LatentHeight, session.LatentWidth);
        }
        var rows = jobs.Select(j => new LatentRow(j.Latent!, j.Noise)).ToArray();
        var recorder = new Recorder(rows, candidates);
        var loop = new DenoisingLoop(rows[0].Latent.Length);
        Run(loop, baseRun, rows, recorder, runOptions, cancellation);
        for (int k = 1; k <= candidates; k++)
        {
            var run = session.Encode(jobs, negativePrompt, runOptions);
            var branch = rows.Select((row, r) => row with { Latent = (float[])recorder.Latents[k][r].Clone() }).ToArray();
            Run(loop, run, branch, recorder, runOptions, cancellation);
        }
        var spread = Enumerable.Range(1, candidates)
            .Select(k => Spread(session.DecodeLatents(ModelRole.Distilled, recorder.DistilledX0[k], baseRun.Channels, runOptions))).ToArray();
        var figures = new TransitionChoice(candidates, seeds.Count, spread, jobs.Sum(j => j.ModelCalls), Cached: false);
        int first = Enumerable.Range(0, candidates).FirstOrDefault(figures.Reaches, candidates - 1);
        return figures with { BaseSteps = first + 1 };
    }

    private static void Run(DenoisingLoop loop, in SegmentRun run, LatentRow[] rows, Recorder recorder, RunOptions runOptions, CancellationToken cancellation)
    {
        recorder.Rows = rows;
        loop.RunSegment(run.Plan, run.SegmentIndex, rows, run.Bindings, runOptions, recorder, cancellation);
        foreach (var job in run.Batch)
        {
            job.Advance(rows.Length, run.ModelCallsPerImage);
        }
    }

    /// <summary>Mean pairwise RMS distance of the pictures, on the 0–1 scale.</summary>
    private static double Spread(IReadOnlyList<RgbImage> pictures)
    {
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < pictures.Count; a++)
        {
            for (int b = a + 1; b < pictures.Count; b++, pairs++)
            {
                byte[] x = pictures[a].GetPixels(), y = pictures[b].GetPixels();
                double squares = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    double d = (x[i] - y[i]) / 255.0;
                    squares += d * d;
                }
                sum += Math.Sqrt(squares / x.Length);
            }
        }
        return sum / pairs;
    }

    /// <summary>
    /// Keeps what the probe measures: the latent after each base step (x_{k+1}), and each distilled segment's x̂0, per
    /// candidate k and probe seed.
    /// </summary>
    private sealed class Recorder : IStepSink
    {
        private readonly int _candidates;

        public Recorder(LatentRow[] rows, int candidates)
        {
            _candidates = candidates;
            Rows = rows;
            Latents = Table(rows.Length, candidates);
            DistilledX0 = Table(rows.Length, candidates);
        }

        /// <summary>The rows the running segment moves (the base rows, or a distilled segment's copies).</summary>
        public LatentRow[] Rows { get; set; }

        /// <summary>[k][seed]: x_k, the latent after k base steps (k = 1 … K).</summary>
        public float[][][] Latents { get; }

        /// <summary>[k][seed]: the distilled model's x̂0 at (x_k, t_k), k = 1 … K.</summary>
        public float[][][] DistilledX0 { get; }

        public void OnStep(in StepState state)
        {
            int step = state.PlanStepIndex;
            if (step < _candidates)
            {
                Latents[step + 1][state.Row] = (float[])Rows[state.Row].Latent.Clone();
            }
            else
            {
                DistilledX0[step - _candidates + 1][state.Row] = state.PredictedOriginal.ToArray();
            }
        }

        private static float[][][] Table(int seeds, int candidates) =>
            Enumerable.Range(0, candidates + 1).Select(_ => new float[seeds][]).ToArray();
    }
}
