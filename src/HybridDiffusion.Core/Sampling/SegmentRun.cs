namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// A batch's next segment, encoded and ready to denoise: the UNet binding of each step with the batch's conditioning
/// written in, the UNet's latent channels, whether a warm-up runs first, when its work began (for the timings), and
/// the per-step change of its prompt rows when the segment anneals or noises its conditioning.
/// </summary>
internal readonly record struct SegmentRun(IReadOnlyList<ImageJob> Batch, SamplingPlan Plan, int SegmentIndex, int Channels,
    UNetBinding[] Bindings, bool WarmUp, long StartedAt, ConditionPerturbation? Perturbation = null)
{
    public PlanSegment Segment => Plan.Segments[SegmentIndex];

    /// <summary>UNet evaluations the segment takes per image: a guided step runs two rows per image (unconditional and conditional), an unguided one one.</summary>
    public int ModelCallsPerImage
    {
        get
        {
            int calls = 0;
            foreach (var binding in Bindings)
            {
                calls += binding.Batch / Batch.Count;
            }
            return calls;
        }
    }
}
