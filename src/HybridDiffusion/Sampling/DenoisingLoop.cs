using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Models;
using HybridDiffusion.Scheduling;

namespace HybridDiffusion.Sampling;

/// <summary>The state after one step: the latent moved on and the clean sample x̂0 the step predicted.</summary>
public readonly ref struct StepState
{
    public StepState(PlanSegment segment, ScheduleStep step, int planStepIndex, ReadOnlySpan<float> predictedOriginal)
    {
        Segment = segment;
        Step = step;
        PlanStepIndex = planStepIndex;
        PredictedOriginal = predictedOriginal;
    }

    public PlanSegment Segment { get; }

    public ScheduleStep Step { get; }

    /// <summary>The step's position in the whole plan (0-based).</summary>
    public int PlanStepIndex { get; }

    public ReadOnlySpan<float> PredictedOriginal { get; }
}

public delegate void StepCallback(in StepState state);

/// <summary>
/// Runs a plan's segments over one latent: for each step, the segment's UNet (a [uncond, cond] batch when guidance
/// is above 1), guidance, then the segment's scheduler's step. When consecutive segments use schedulers with different
/// latent spaces (Euler's σ-space, DDIM/LCM's variance-preserving one), the latent is converted at the handover
/// timestep. Checks for cancellation before every step.
/// </summary>
public sealed class DenoisingLoop
{
    private readonly float[] _predicted;
    private readonly float[] _scratch;
    private readonly float[] _guided;

    public DenoisingLoop(int latentSize)
    {
        _predicted = new float[latentSize];
        _scratch = new float[latentSize];
        _guided = new float[latentSize];
    }

    /// <param name="stepBindings">The UNet binding of each plan step, with its conditioning already in place.</param>
    public void Run(SamplingPlan plan, Span<float> latent, GaussianNoise noise, IReadOnlyList<UNetBinding> stepBindings,
        RunOptions runOptions, StepCallback? onStep, CancellationToken cancellation)
    {
        int n = latent.Length;
        int planStep = 0;
        IDiffusionScheduler? previous = null;
        foreach (var segment in plan.Segments)
        {
            var scheduler = plan.SchedulerOf(segment);
            if (previous is not null)
            {
                LatentSpaces.Convert(previous, scheduler, segment.Steps[0].Timestep, latent);
            }
            previous = scheduler;
            foreach (var step in segment.Steps)
            {
                cancellation.ThrowIfCancellationRequested();
                var binding = stepBindings[planStep];
                bool guided = binding.Batch == 2;
                var input = binding.Sample;
                scheduler.ScaleModelInput(step, latent, input[..n]);
                if (guided)
                {
                    input[..n].CopyTo(input[n..]);
                }
                binding.Run(step.Timestep, runOptions);
                ReadOnlySpan<float> prediction = binding.Output[..n];
                if (guided)
                {
                    // ε = ε_uncond + g·(ε_cond − ε_uncond)
                    var uncond = binding.Output[..n];
                    TensorPrimitives.Subtract(binding.Output[n..], uncond, _guided);
                    TensorPrimitives.MultiplyAdd(_guided, segment.Guidance, uncond, _guided);
                    prediction = _guided;
                }
                scheduler.Step(step, prediction, latent, _predicted, _scratch, noise);
                onStep?.Invoke(new StepState(segment, step, planStep++, _predicted));
            }
        }
    }
}
