namespace HybridDiffusion.Core.Scheduling;

/// <summary>An ordered list of denoising steps produced by a scheduler.</summary>
public sealed class Schedule
{
    public Schedule(IReadOnlyList<ScheduleStep> steps) => Steps = steps;

    public IReadOnlyList<ScheduleStep> Steps { get; }

    public int Count => Steps.Count;

    public IEnumerable<double> Timesteps => Steps.Select(s => s.Timestep);

    /// <summary>A schedule whose step after t is simply the next listed timestep, ending after the last.</summary>
    public static Schedule FromTimesteps(IReadOnlyList<int> timesteps, int trainTimesteps) =>
        FromTimesteps(timesteps.Select(t => (double)t).ToArray(), trainTimesteps);

    /// <inheritdoc cref="FromTimesteps(IReadOnlyList{int}, int)"/>
    public static Schedule FromTimesteps(IReadOnlyList<double> timesteps, int trainTimesteps)
    {
        if (timesteps.Count == 0)
        {
            throw HybridDiffusionException.Argument(SettingId.Plan, "A schedule needs at least one timestep.");
        }
        for (int i = 0; i < timesteps.Count; i++)
        {
            if (!(timesteps[i] >= 0 && timesteps[i] <= trainTimesteps - 1))
            {
                throw HybridDiffusionException.Argument(SettingId.Plan, $"Timestep {timesteps[i]} is outside 0..{trainTimesteps - 1}.");
            }
            if (i > 0 && timesteps[i] >= timesteps[i - 1])
            {
                throw HybridDiffusionException.Argument(SettingId.Plan,
                    $"Timesteps must strictly decrease; {timesteps[i]} follows {timesteps[i - 1]}.");
            }
        }
        var steps = new ScheduleStep[timesteps.Count];
        for (int i = 0; i < steps.Length; i++)
        {
            bool last = i == steps.Length - 1;
            steps[i] = new ScheduleStep(i, timesteps[i], last ? -1 : timesteps[i + 1], last);
        }
        return new Schedule(steps);
    }

    /// <summary>The same steps without the first <paramref name="count"/> (re-indexed from 0).</summary>
    public Schedule Skip(int count) =>
        new(Steps.Skip(count).Select((s, i) => s with { Index = i }).ToArray());
}
