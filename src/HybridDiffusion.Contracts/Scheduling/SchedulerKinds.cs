namespace HybridDiffusion.Contracts.Scheduling;

/// <summary>
/// The one spelling of each <see cref="SchedulerKind"/> ("ddim", "lcm", "euler", "euler-ancestral"): what -Scheduler,
/// --scheduler, a study setting and a plan's "model[scheduler]" accept (in any case), and what help, completion and
/// error messages list.
/// </summary>
public static class SchedulerKinds
{
    /// <summary>Every scheduler's name, in <see cref="SchedulerKind"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<SchedulerKind>().Select(Name).ToArray();

    /// <summary>A scheduler as users type it: "ddim", ..., "euler-ancestral".</summary>
    public static string Name(SchedulerKind kind) =>
        kind == SchedulerKind.EulerAncestral ? "euler-ancestral" : kind.ToString().ToLowerInvariant();

    /// <summary>The kind a name stands for, ignoring case; the name is taken as given (callers trim where they accept spaces).</summary>
    public static bool TryParse(string name, out SchedulerKind kind)
    {
        foreach (var candidate in Enum.GetValues<SchedulerKind>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>The names for an error message: "ddim, lcm, euler, euler-ancestral".</summary>
    public static string List => string.Join(", ", Names);

    /// <summary>The error message for a name that is none of them; it lists the names.</summary>
    public static string NotKnown(string name) => $"Scheduler '{name}' is not known; use {List}.";

    /// <summary>The names for help text: "ddim, lcm, euler or euler-ancestral".</summary>
    public static string Alternatives => $"{string.Join(", ", Names.Take(Names.Count - 1))} or {Names[^1]}";
}
