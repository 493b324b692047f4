using System.Globalization;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>One segment of an explicit plan as the user wrote it.</summary>
/// <param name="Scheduler">A scheduler name (<see cref="SchedulerKinds.Names"/>), or null for the plan's.</param>
internal sealed record PlanSegmentSpec(ModelRole Model, IReadOnlyList<int> Timesteps, float? Guidance, string? Scheduler = null);

/// <summary>
/// Parses explicit plans: segments separated by ';', each "model[scheduler]:t1,t2,...[@guidance]", e.g.
/// "base:999;distilled:749,499,249", "base:999@5;distilled:749,499,249" or "base[euler]:999;distilled[lcm]:749,499,249".
/// </summary>
internal static class PlanParser
{
    public static IReadOnlyList<PlanSegmentSpec> Parse(string plan)
    {
        if (string.IsNullOrWhiteSpace(plan))
        {
            throw Error(plan, "it is empty");
        }
        var segments = new List<PlanSegmentSpec>();
        foreach (var part in plan.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':');
            if (colon <= 0)
            {
                throw Error(plan, $"segment '{part}' has no 'model:' prefix");
            }
            var modelText = part[..colon].Trim();
            string? scheduler = null;
            var bracket = modelText.IndexOf('[');
            if (bracket >= 0)
            {
                if (!modelText.EndsWith(']') || bracket == modelText.Length - 2)
                {
                    throw Error(plan, $"'{modelText}' should read model[scheduler], e.g. base[euler]");
                }
                scheduler = modelText[(bracket + 1)..^1].Trim();
                if (!SchedulerKinds.TryParse(scheduler, out _))
                {
                    throw Error(plan, $"scheduler '{scheduler}' is not known; use {SchedulerKinds.List}");
                }
                modelText = modelText[..bracket].Trim();
            }
            if (!Enum.TryParse<ModelRole>(modelText, ignoreCase: true, out var model) || int.TryParse(modelText, out _))
            {
                throw Error(plan, $"'{modelText}' is not a model; use base or distilled");
            }
            var rest = part[(colon + 1)..];
            float? guidance = null;
            var at = rest.IndexOf('@');
            if (at >= 0)
            {
                if (!float.TryParse(rest[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var g) || !float.IsFinite(g) || g < 0)
                {
                    throw Error(plan, $"guidance '{rest[(at + 1)..]}' is not a non-negative number");
                }
                guidance = g;
                rest = rest[..at];
            }
            var timesteps = new List<int>();
            foreach (var item in rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t))
                {
                    throw Error(plan, $"timestep '{item}' is not an integer");
                }
                timesteps.Add(t);
            }
            if (timesteps.Count == 0)
            {
                throw Error(plan, $"segment '{part}' lists no timesteps");
            }
            segments.Add(new PlanSegmentSpec(model, timesteps, guidance, scheduler));
        }
        return segments;
    }

    private static HybridDiffusionException Error(string plan, string problem) => HybridDiffusionException.Argument(SettingId.Plan,
        $"Plan '{plan}' cannot be read: {problem}. Write segments as 'model[scheduler]:timesteps[@guidance]' joined by ';' " +
        "(the [scheduler] and @guidance parts are optional), for example 'base:999;distilled:749,499,249'.");
}
