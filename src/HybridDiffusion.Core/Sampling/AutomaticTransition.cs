namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// A request's hybrid plans under --base-steps auto: each prompt's k from the engine's cache or a
/// <see cref="TransitionProbe"/> run through the request's session, and one plan per k (so batches of one k share a
/// plan). Says with --verbose why each prompt got its k. A request with fewer than
/// <see cref="TransitionProbe.BudgetImages"/> seeds a prompt probes anyway; --verbose and the figures say what it cost.
/// </summary>
internal sealed class AutomaticTransition(GenerationRequest request, SamplingPlan firstPlan, Func<int, SamplingPlan> planWithBaseSteps,
    TransitionChoices choices, ModelFolder baseFolder, ModelFolder distilledFolder, IGenerationObserver observer)
{
    private readonly Dictionary<int, SamplingPlan> _plans = new() { [1] = firstPlan };
    private (int Seeds, SamplingPlan Plan)? _probe;
    private byte[]? _baseFingerprint, _distilledFingerprint;
    private (string Prompt, SamplingPlan Plan, TransitionChoice Choice)? _latest;

    /// <summary>The hybrid plan for <paramref name="prompt"/>, with how its k was chosen.</summary>
    public (SamplingPlan Plan, TransitionChoice Choice) For(string prompt, GenerationSession session, RunOptions runOptions, CancellationToken cancellation)
    {
        // Images come prompt by prompt: the seeds after a prompt's first take its choice without asking the cache again.
        if (_latest is { } latest && latest.Prompt == prompt)
        {
            return (latest.Plan, latest.Choice);
        }
        var key = TransitionKey.Of(prompt, request, firstPlan.StepCount, baseFolder.UnetPath, distilledFolder.UnetPath);
        var choice = choices.GetOrProbe(key, () => Probe(prompt, session, runOptions, cancellation));
        int served = request.ImageSeeds.Count;
        observer.Verbose($"Base steps for '{prompt}': {choice}" + (choice.Cached ? "." : served >= TransitionProbe.BudgetImages
            ? $" (a share of {choice.ModelCalls} calls in those of this prompt's {served} images)."
            : $"; this prompt has {served} seeds, fewer than the {TransitionProbe.BudgetImages} the probe is sized for, so probing may cost more than a quarter of their calls."));
        if (!_plans.TryGetValue(choice.BaseSteps, out var plan))
        {
            _plans[choice.BaseSteps] = plan = planWithBaseSteps(choice.BaseSteps);
        }
        _latest = (prompt, plan, choice);
        return (plan, choice);
    }

    private TransitionChoice Probe(string prompt, GenerationSession session, RunOptions runOptions, CancellationToken cancellation)
    {
        _baseFingerprint ??= ModelFingerprint.Of(baseFolder.UnetPath);
        _distilledFingerprint ??= ModelFingerprint.Of(distilledFolder.UnetPath);
        if (_probe is null)
        {
            var steps = firstPlan.Segments.SelectMany(s => s.Steps).ToArray();
            var (seedCount, candidates) = TransitionProbe.Size(steps.Length, (role, i) =>
                firstPlan.GuidesAt(firstPlan.Segments.First(s => s.Model == role), steps[i]) ? 2 : 1);
            _probe = (seedCount, TransitionProbe.PlanFor(firstPlan, candidates));
        }
        var (seeds, probePlan) = _probe.Value;
        return TransitionProbe.Run(session, probePlan, prompt, request.Settings.NegativePrompt, request.NoiseSource,
            TransitionProbe.Seeds(prompt, _baseFingerprint, _distilledFingerprint, seeds), runOptions, cancellation);
    }
}
