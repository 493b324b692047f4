namespace HybridDiffusion.Core.Sampling;

/// <summary>Segments over one shared scheduler, in order; the text form round-trips through <see cref="PlanParser"/>.</summary>
internal sealed record SamplingPlan(IDiffusionScheduler Scheduler, IReadOnlyList<PlanSegment> Segments)
{
    public int StepCount => Segments.Sum(s => s.Steps.Count);

    public bool Uses(ModelRole role) => Segments.Any(s => s.Model == role);

    /// <summary>The scheduler that steps <paramref name="segment"/>.</summary>
    public IDiffusionScheduler SchedulerOf(PlanSegment segment) => segment.Scheduler ?? Scheduler;

    /// <summary>
    /// Whether <paramref name="step"/> of <paramref name="segment"/> runs classifier-free guidance: a segment above
    /// guidance 1, at a step whose σ lies in the segment's interval (when it has one).
    /// </summary>
    public bool GuidesAt(PlanSegment segment, ScheduleStep step) =>
        segment.Guidance > 1 && (segment.Interval is not { } interval || interval.Contains(SchedulerOf(segment).Noise.SigmaAt(step.Timestep)));

    /// <summary>The schedulers in use, in order, each once.</summary>
    public IEnumerable<IDiffusionScheduler> Schedulers => Segments.Select(SchedulerOf).Distinct();

    public override string ToString() => string.Join(";", Segments);
}
