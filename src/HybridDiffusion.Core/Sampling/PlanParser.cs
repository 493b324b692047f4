using System.Globalization;
using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>One segment of an explicit plan as the user wrote it.</summary>
/// <param name="Scheduler">A scheduler name (<see cref="SchedulerKinds.Names"/>), or null for the plan's.</param>
/// <param name="Annealing">The segment's own "+cads(...)", or null.</param>
/// <param name="ConditioningNoise">The segment's own "+noise(...)", or null.</param>
/// <param name="Interval">The segment's own "+interval(...)", or null.</param>
internal sealed record PlanSegmentSpec(ModelRole Model, IReadOnlyList<int> Timesteps, float? Guidance, string? Scheduler = null,
    ConditionAnnealing? Annealing = null, ConditioningNoise? ConditioningNoise = null, GuidanceInterval? Interval = null);

/// <summary>
/// Parses explicit plans: segments separated by ';', each "model[scheduler]:t1,t2,...[@guidance][+method(...)...]", e.g.
/// "base:999;distilled:749,499,249", "base:999@5;distilled:749,499,249", "base[euler]:999;distilled[lcm]:749,499,249" or
/// "distilled:999,749,499,249+cads(tau1=0.6,tau2=0.9,scale=0.25,psi=1)". The methods are cads(tau1,tau2,scale,psi),
/// noise(strength,fraction) and interval(lo,hi), their parameters named (those left out take their defaults).
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
            var (rest, methods) = SplitMethods(part[(colon + 1)..]);
            var (annealing, noise, interval) = ParseMethods(plan, methods);
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
            segments.Add(new PlanSegmentSpec(model, timesteps, guidance, scheduler, annealing, noise, interval));
        }
        return segments;
    }

    // "999,749@5+cads(tau1=0.5)+interval(lo=1,hi=5)": a '+' that starts a word starts a method ("@1e+3" stays a number).
    private static (string Body, IReadOnlyList<string> Methods) SplitMethods(string text)
    {
        var starts = Enumerable.Range(0, text.Length).Where(i => text[i] == '+' && i + 1 < text.Length && char.IsLetter(text[i + 1])).ToList();
        if (starts.Count == 0)
        {
            return (text, Array.Empty<string>());
        }
        var methods = starts.Select((start, k) => text[(start + 1)..(k + 1 < starts.Count ? starts[k + 1] : text.Length)].Trim()).ToList();
        return (text[..starts[0]], methods);
    }

    private static (ConditionAnnealing?, ConditioningNoise?, GuidanceInterval?) ParseMethods(string plan, IReadOnlyList<string> methods)
    {
        ConditionAnnealing? annealing = null;
        ConditioningNoise? noise = null;
        GuidanceInterval? interval = null;
        foreach (var method in methods)
        {
            var open = method.IndexOf('(');
            var name = (open < 0 ? method : method[..open]).Trim().ToLowerInvariant();
            if (open >= 0 && !method.EndsWith(')'))
            {
                throw Error(plan, $"method '{method}' should end with ')', as in cads(tau1=0.6)");
            }
            var arguments = ParseArguments(plan, method, open < 0 ? "" : method[(open + 1)..^1]);
            double? Take(string key) => arguments.Remove(key, out var value) ? value : null;
            double Required(string key) => Take(key) ?? throw Error(plan, $"method '{method}' needs {key}=...");
            (SettingId, string)? problem;
            switch (name)
            {
                case "cads" when annealing is null:
                    annealing = ConditionAnnealing.FromOptions(true, Take("tau1"), Take("tau2"), Take("scale"), Take("psi"))!;
                    problem = annealing.FindProblem();
                    break;
                case "noise" when noise is null:
                    noise = new ConditioningNoise { Strength = Required("strength"), Fraction = Take("fraction") ?? ConditioningNoise.DefaultFraction };
                    problem = noise.FindProblem();
                    break;
                case "interval" when interval is null:
                    interval = new GuidanceInterval(Required("lo"), Required("hi"));
                    problem = interval.FindProblem();
                    break;
                case "cads" or "noise" or "interval":
                    throw Error(plan, $"a segment names method '{name}' twice");
                default:
                    throw Error(plan, $"method '{name}' is not known; use cads, noise or interval");
            }
            if (arguments.Count > 0)
            {
                throw Error(plan, $"method '{name}' takes no parameter '{arguments.Keys.First()}'");
            }
            if (problem is ({ } _, { } text))
            {
                throw Error(plan, $"in '{method}': {text.TrimEnd('.')}");
            }
        }
        if (annealing is not null && noise is not null)
        {
            throw Error(plan, "a segment takes cads or noise, not both (both noise the prompt embedding)");
        }
        return (annealing, noise, interval);
    }

    private static Dictionary<string, double> ParseArguments(string plan, string method, string text)
    {
        var arguments = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = item.IndexOf('=');
            if (equals <= 0 || !double.TryParse(item[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw Error(plan, $"'{item}' in '{method}' should read name=number");
            }
            if (!arguments.TryAdd(item[..equals].Trim(), value))
            {
                throw Error(plan, $"'{method}' gives '{item[..equals].Trim()}' twice");
            }
        }
        return arguments;
    }

    private static HybridDiffusionException Error(string plan, string problem) => HybridDiffusionException.Argument(SettingId.Plan,
        $"Plan '{plan}' cannot be read: {problem}. Write segments as 'model[scheduler]:timesteps[@guidance][+method(...)]' joined by ';' " +
        "(the [scheduler], @guidance and +method parts are optional), for example 'base:999;distilled:749,499,249+cads(tau1=0.6)'.");
}
