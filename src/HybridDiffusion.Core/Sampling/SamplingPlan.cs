using System.Globalization;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>A run of consecutive steps by one model at one guidance scale.</summary>
/// <param name="Scheduler">The segment's own scheduler; null uses the plan's.</param>
public sealed record PlanSegment(ModelRole Model, IReadOnlyList<ScheduleStep> Steps, float Guidance, IDiffusionScheduler? Scheduler = null)
{
    public override string ToString()
    {
        var scheduler = Scheduler is null ? "" : $"[{SchedulerFactory.ShortNameOf(Scheduler)}]";
        var text = $"{Model.ToString().ToLowerInvariant()}{scheduler}:{string.Join(",", Steps.Select(s => s.Timestep.ToString(CultureInfo.InvariantCulture)))}";
        return Guidance > 1 ? text + "@" + Guidance.ToString(CultureInfo.InvariantCulture) : text;
    }
}

/// <summary>Segments over one shared scheduler, in order; the text form round-trips through <see cref="PlanParser"/>.</summary>
internal sealed record SamplingPlan(IDiffusionScheduler Scheduler, IReadOnlyList<PlanSegment> Segments)
{
    public int StepCount => Segments.Sum(s => s.Steps.Count);

    public bool Uses(ModelRole role) => Segments.Any(s => s.Model == role);

    /// <summary>The scheduler that steps <paramref name="segment"/>.</summary>
    public IDiffusionScheduler SchedulerOf(PlanSegment segment) => segment.Scheduler ?? Scheduler;

    /// <summary>The schedulers in use, in order, each once.</summary>
    public IEnumerable<IDiffusionScheduler> Schedulers => Segments.Select(SchedulerOf).Distinct();

    public override string ToString() => string.Join(";", Segments);
}
