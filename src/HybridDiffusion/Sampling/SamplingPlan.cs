using System.Globalization;
using HybridDiffusion.Scheduling;

namespace HybridDiffusion.Sampling;

/// <summary>A run of consecutive steps by one model at one guidance scale.</summary>
public sealed record PlanSegment(ModelRole Model, IReadOnlyList<ScheduleStep> Steps, float Guidance)
{
    public override string ToString()
    {
        var text = $"{Model.ToString().ToLowerInvariant()}:{string.Join(",", Steps.Select(s => s.Timestep))}";
        return Guidance > 1 ? text + "@" + Guidance.ToString(CultureInfo.InvariantCulture) : text;
    }
}

/// <summary>Segments over one shared scheduler, in order; the text form round-trips through <see cref="PlanParser"/>.</summary>
public sealed record SamplingPlan(IDiffusionScheduler Scheduler, IReadOnlyList<PlanSegment> Segments)
{
    public int StepCount => Segments.Sum(s => s.Steps.Count);

    public bool Uses(ModelRole role) => Segments.Any(s => s.Model == role);

    public override string ToString() => string.Join(";", Segments);
}
