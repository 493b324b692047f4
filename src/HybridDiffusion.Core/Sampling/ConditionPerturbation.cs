using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// A segment's per-step prompt rows under condition annealing (CADS) or conditioning noise: before each step it writes
/// every image's conditional row (text hidden states, and SDXL's pooled text embedding), perturbed where the method
/// is active at that step and clean where it is not. The unconditional (negative) rows stay clean: the methods noise
/// the condition, as the CADS paper does. Each image's noise comes from its own seed and the step's position in the
/// plan through the request's noise source, so an image does not depend on its batch and repeats bit for bit.
/// </summary>
internal sealed class ConditionPerturbation
{
    private readonly PlanSegment _segment;
    private readonly int _planStepCount;
    private readonly int _trainTimesteps;
    private readonly UNetModel _unet;
    private readonly (TextConditioning Clean, long Seed, NoiseKind Noise)[] _rows;

    /// <param name="rows">Each image of the batch, in batch order: its clean prompt conditioning, seed and noise source.</param>
    public ConditionPerturbation(PlanSegment segment, int planStepCount, int trainTimesteps, UNetModel unet,
        (TextConditioning Clean, long Seed, NoiseKind Noise)[] rows)
    {
        _segment = segment;
        _planStepCount = planStepCount;
        _trainTimesteps = trainTimesteps;
        _unet = unet;
        _rows = rows;
    }

    /// <summary>Writes the conditional rows for <paramref name="step"/> (at <paramref name="planStep"/> in the plan) into the binding.</summary>
    /// <param name="count">Images in the batch; the binding holds 2 × count rows when the step is guided.</param>
    public void Write(UNetBinding binding, int count, ScheduleStep step, int planStep)
    {
        int first = binding.Batch == 2 * count ? count : 0;
        for (int r = 0; r < count; r++)
        {
            var (clean, seed, noise) = _rows[r];
            int hiddenSize = clean.HiddenStates.Length;
            var hidden = binding.HiddenStates.Slice((first + r) * hiddenSize, hiddenSize);
            var pooled = _unet.IsSdxl ? binding.TextEmbeds.Slice((first + r) * _unet.PooledDim, _unet.PooledDim) : Span<float>.Empty;
            var cleanPooled = _unet.IsSdxl ? clean.Pooled : Array.Empty<float>();
            if (!Perturb(clean.HiddenStates, cleanPooled, hidden, pooled, step, planStep, seed, noise))
            {
                clean.HiddenStates.CopyTo(hidden);
                cleanPooled.CopyTo(pooled);
            }
        }
        binding.CommitConditioning();
    }

    /// <summary>Writes the perturbed rows; false (nothing written) where the method leaves this step clean.</summary>
    private bool Perturb(float[] cleanHidden, float[] cleanPooled, Span<float> hidden, Span<float> pooled, ScheduleStep step, int planStep,
        long seed, NoiseKind kind)
    {
        if (_segment.Annealing is { } annealing)
        {
            double gamma = annealing.Gamma(step.Timestep / _trainTimesteps);
            if (gamma >= 1)
            {
                return false;
            }
            var source = NoiseSources.Create(kind, StepSeed(seed, planStep));
            source.Fill(hidden);
            ConditioningFormulas.Anneal(cleanHidden, hidden, gamma, annealing.Scale, annealing.Psi);
            source.Fill(pooled);
            ConditioningFormulas.Anneal(cleanPooled, pooled, gamma, annealing.Scale, annealing.Psi);
            return true;
        }
        if (_segment.ConditioningNoise is { } noise && noise.Covers(planStep, _planStepCount))
        {
            var source = NoiseSources.Create(kind, StepSeed(seed, planStep));
            source.Fill(hidden);
            ConditioningFormulas.AddNoise(cleanHidden, hidden, noise.Strength);
            source.Fill(pooled);
            ConditioningFormulas.AddNoise(cleanPooled, pooled, noise.Strength);
            return true;
        }
        return false;
    }

    /// <summary>
    /// The seed of an image's conditioning noise at one plan step: SplitMix64's finaliser over the image's seed and the
    /// step, salted so that it never repeats the latent noise stream of the same seed.
    /// </summary>
    internal static long StepSeed(long seed, int planStep)
    {
        const ulong Salt = 0x636F6E646E6F6973; // "condnois"
        ulong z = unchecked((ulong)seed + Salt + 0x9E3779B97F4A7C15UL * (ulong)(planStep + 1));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (long)((z ^ (z >> 31)) >> 1);
    }
}
