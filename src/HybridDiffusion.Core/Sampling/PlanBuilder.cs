namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Turns a mode and its settings into a <see cref="SamplingPlan"/>. Takes a request that <see cref="GenerationChecks"/>
/// has passed, so it checks no step count, base-step count or plan syntax again.
/// </summary>
internal static class PlanBuilder
{
    /// <param name="schedulerFor">The scheduler of each model's folder. Every mode but Base shares the distilled one.</param>
    public static SamplingPlan Build(GenerationMode mode, GenerationSettings settings, Func<ModelRole, IDiffusionScheduler> schedulerFor) =>
        WithMethods(mode, Segments(mode, settings, schedulerFor), settings);

    private static SamplingPlan Segments(GenerationMode mode, GenerationSettings settings, Func<ModelRole, IDiffusionScheduler> schedulerFor)
    {
        if (mode == GenerationMode.Plan)
        {
            return FromSpec(settings, schedulerFor);
        }
        int steps = settings.Steps ?? GenerationSettings.DefaultSteps(mode);
        if (mode == GenerationMode.Base)
        {
            var own = schedulerFor(ModelRole.Base);
            return new SamplingPlan(own, new[] { Segment(ModelRole.Base, own.CreateSchedule(steps).Steps, settings.BaseGuidance) });
        }

        var scheduler = schedulerFor(ModelRole.Distilled);
        var schedule = scheduler.CreateSchedule(steps);
        switch (mode)
        {
            case GenerationMode.Distilled:
                return new SamplingPlan(scheduler, new[] { Segment(ModelRole.Distilled, schedule.Steps, settings.Guidance) });
            case GenerationMode.SkipFirst:
                return new SamplingPlan(scheduler, new[] { Segment(ModelRole.Distilled, schedule.Skip(1).Steps, settings.Guidance) });
            case GenerationMode.Hybrid:
            case GenerationMode.Reverse:
                int first = settings.BaseSteps;
                var (leading, trailing) = mode == GenerationMode.Hybrid
                    ? ((ModelRole.Base, settings.BaseGuidance), (ModelRole.Distilled, settings.Guidance))
                    : ((ModelRole.Distilled, settings.Guidance), (ModelRole.Base, settings.BaseGuidance));
                return new SamplingPlan(scheduler, new[]
                {
                    Segment(leading.Item1, schedule.Steps.Take(first).ToArray(), leading.Item2),
                    Segment(trailing.Item1, schedule.Steps.Skip(first).ToArray(), trailing.Item2),
                });
            default:
                throw HybridDiffusionException.Argument(SettingId.Mode, $"Mode '{mode}' is not known.");
        }
    }

    private static SamplingPlan FromSpec(GenerationSettings settings, Func<ModelRole, IDiffusionScheduler> schedulerFor)
    {
        var scheduler = schedulerFor(ModelRole.Distilled);
        var specs = PlanParser.Parse(settings.Plan ?? throw GenerationSettings.MissingPlan());
        var schedule = Schedule.FromTimesteps(specs.SelectMany(s => s.Timesteps).ToArray(), scheduler.Config.NumTrainTimesteps);
        var segments = new List<PlanSegment>();
        int offset = 0;
        foreach (var spec in specs)
        {
            var defaultGuidance = spec.Model == ModelRole.Base ? settings.BaseGuidance : settings.Guidance;
            var own = spec.Scheduler is null ? null : SchedulerFactory.ByName(spec.Scheduler, schedulerFor(spec.Model).Config, SettingId.Plan);
            var guidance = spec.Guidance ?? defaultGuidance;
            if (spec.Interval is not null && guidance <= 1)
            {
                throw HybridDiffusionException.Argument(SettingId.Plan, $"Plan segment '{spec.Model.ToString().ToLowerInvariant()}' has a guidance " +
                    $"interval but runs without guidance ({guidance}); give it guidance above 1 (@5), or leave the interval out.");
            }
            segments.Add(new PlanSegment(spec.Model, schedule.Steps.Skip(offset).Take(spec.Timesteps.Count).ToArray(), guidance, own,
                spec.Annealing, spec.ConditioningNoise, spec.Interval));
            offset += spec.Timesteps.Count;
        }
        return new SamplingPlan(scheduler, segments);
    }

    /// <summary>
    /// The request's methods on every segment that names none of its own (the guidance interval on guided segments
    /// only), each interval checked against its scheduler's σ range.
    /// </summary>
    private static SamplingPlan WithMethods(GenerationMode mode, SamplingPlan plan, GenerationSettings settings)
    {
        if (settings.GuidanceInterval is not null && !plan.Segments.Any(s => s.Guidance > 1))
        {
            throw HybridDiffusionException.Argument(SettingId.GuidanceInterval,
                $"The guidance interval applies to segments with guidance above 1, and mode {mode} has none; give it guidance above 1, or leave the interval out.");
        }
        var segments = plan.Segments.Select(s => s with
        {
            Annealing = s.Annealing ?? (s.ConditioningNoise is null ? settings.Annealing : null),
            ConditioningNoise = s.ConditioningNoise ?? (s.Annealing is null ? settings.ConditioningNoise : null),
            Interval = s.Interval ?? (s.Guidance > 1 ? settings.GuidanceInterval : null),
        }).ToArray();
        foreach (var segment in segments.Where(s => s.Interval is not null))
        {
            var noise = plan.SchedulerOf(segment).Noise;
            double least = noise.SigmaAt(0), most = noise.SigmaAt(noise.TrainTimesteps - 1);
            if (segment.Interval!.SigmaHigh < least || segment.Interval.SigmaLow > most)
            {
                throw HybridDiffusionException.Argument(settings.GuidanceInterval == segment.Interval ? SettingId.GuidanceInterval : SettingId.Plan,
                    FormattableString.Invariant($"The guidance interval σ {segment.Interval.SigmaLow} to {segment.Interval.SigmaHigh} lies outside the ") +
                    FormattableString.Invariant($"schedule's noise levels (σ {least:G4} to {most:G4}), so no step would be guided; choose an interval that overlaps them."));
            }
        }
        return plan with { Segments = segments };
    }

    private static PlanSegment Segment(ModelRole model, IReadOnlyList<ScheduleStep> steps, float guidance) => new(model, steps, guidance);
}
