namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Runs one segment of a plan over a batch of latents: for each step, one UNet run for all rows (a [uncond…, cond…]
/// batch when guidance is above 1), then guidance and the segment's scheduler step row by row, each row with its own
/// noise. When the segment's scheduler works in another latent space than the previous segment's (Euler's σ-space,
/// DDIM/LCM's variance-preserving one), the latents are converted at the handover timestep. Checks for cancellation
/// before every step. Buffers are kept per batch size, so a step allocates nothing.
/// </summary>
internal sealed class DenoisingLoop
{
    private readonly int _latentSize;
    private float[] _predicted = Array.Empty<float>();
    private float[] _scratch = Array.Empty<float>();
    private float[] _guided = Array.Empty<float>();

    public DenoisingLoop(int latentSize) => _latentSize = latentSize;

    /// <param name="segmentIndex">Which segment of <paramref name="plan"/> to run; the rows have run the ones before it.</param>
    /// <param name="stepBindings">The UNet binding of each step of the segment, with the rows' conditioning in place.</param>
    /// <param name="steps">Hears each row after each step; null for runs nobody follows (a warm-up).</param>
    /// <param name="perturbation">Rewrites the prompt rows before each step (CADS, conditioning noise); null keeps them as written.</param>
    public void RunSegment(SamplingPlan plan, int segmentIndex, ReadOnlySpan<LatentRow> rows, IReadOnlyList<UNetBinding> stepBindings,
        RunOptions runOptions, IStepSink? steps, CancellationToken cancellation, ConditionPerturbation? perturbation = null)
    {
        int n = _latentSize, count = rows.Length;
        EnsureCapacity(count * n);
        var segment = plan.Segments[segmentIndex];
        var scheduler = plan.SchedulerOf(segment);
        if (segmentIndex > 0)
        {
            var previous = plan.SchedulerOf(plan.Segments[segmentIndex - 1]);
            foreach (var row in rows)
            {
                LatentSpaces.Convert(previous, scheduler, segment.Steps[0].Timestep, row.Latent);
            }
        }
        int planStep = 0;
        for (int s = 0; s < segmentIndex; s++)
        {
            planStep += plan.Segments[s].Steps.Count;
        }
        for (int i = 0; i < segment.Steps.Count; i++, planStep++)
        {
            cancellation.ThrowIfCancellationRequested();
            var step = segment.Steps[i];
            var binding = stepBindings[i];
            bool guided = binding.Batch == 2 * count;
            var input = binding.Sample;
            for (int r = 0; r < count; r++)
            {
                scheduler.ScaleModelInput(step, rows[r].Latent, input.Slice(r * n, n));
            }
            if (guided)
            {
                // diffusers' batch order: every unconditional row, then every conditional one.
                input[..(count * n)].CopyTo(input[(count * n)..]);
            }
            perturbation?.Write(binding, count, step, planStep);
            binding.Run(step.Timestep, runOptions);
            for (int r = 0; r < count; r++)
            {
                ReadOnlySpan<float> prediction = binding.Output.Slice(r * n, n);
                if (guided)
                {
                    // ε = ε_uncond + g·(ε_cond − ε_uncond)
                    var combined = _guided.AsSpan(r * n, n);
                    TensorPrimitives.Subtract(binding.Output.Slice((count + r) * n, n), prediction, combined);
                    TensorPrimitives.MultiplyAdd(combined, segment.Guidance, prediction, combined);
                    prediction = combined;
                }
                var predicted = _predicted.AsSpan(r * n, n);
                scheduler.Step(step, prediction, rows[r].Latent, predicted, _scratch.AsSpan(r * n, n), rows[r].Noise);
                steps?.OnStep(new StepState(segment, step, planStep, r, prediction, predicted));
            }
        }
    }

    private void EnsureCapacity(int size)
    {
        if (_predicted.Length < size)
        {
            _predicted = new float[size];
            _scratch = new float[size];
            _guided = new float[size];
        }
    }
}
