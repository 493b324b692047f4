using System.Globalization;

namespace HybridDiffusion.Core.Sampling;

/// <summary>A run of consecutive steps by one model at one guidance scale, with the diversity methods it applies.</summary>
/// <param name="Scheduler">The segment's own scheduler; null uses the plan's.</param>
/// <param name="Annealing">Condition annealing (CADS) on the prompt rows; null: none.</param>
/// <param name="ConditioningNoise">Noise on the prompt rows for the plan's first steps; null: none.</param>
/// <param name="Interval">Guidance only at steps whose σ lies in it (guided segments only); null: at every step.</param>
public sealed record PlanSegment(ModelRole Model, IReadOnlyList<ScheduleStep> Steps, float Guidance, IDiffusionScheduler? Scheduler = null,
    ConditionAnnealing? Annealing = null, ConditioningNoise? ConditioningNoise = null, GuidanceInterval? Interval = null)
{
    /// <summary>Whether the segment changes its prompt rows from step to step.</summary>
    public bool PerturbsConditioning => Annealing is not null || ConditioningNoise is not null;

    /// <summary>The methods in their plan form, each after a '+', in a fixed order ("" when none).</summary>
    public string MethodsText => string.Concat(new object?[] { Annealing, ConditioningNoise, Interval }.OfType<object>().Select(m => "+" + m));

    public override string ToString()
    {
        var scheduler = Scheduler is null ? "" : $"[{SchedulerFactory.ShortNameOf(Scheduler)}]";
        var text = $"{Model.ToString().ToLowerInvariant()}{scheduler}:{string.Join(",", Steps.Select(s => s.Timestep.ToString(CultureInfo.InvariantCulture)))}";
        return (Guidance > 1 ? text + "@" + Guidance.ToString(CultureInfo.InvariantCulture) : text) + MethodsText;
    }
}
