namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Generation's one progress sink, made once per request and handed to each segment run: after every step of every
/// image it keeps the image's x̂0 trail (when recorded), restarts the watchdog and tells the observer how far the
/// request is. Images of a batch advance together, so completion counts image-steps rather than images.
/// </summary>
internal sealed class ProgressSink(IGenerationObserver observer, Watchdog watchdog, int imageCount, long totalSteps) : IStepSink
{
    private IReadOnlyList<ImageJob> _batch = Array.Empty<ImageJob>();
    private long _stepsDone;

    /// <summary>The batch whose segment runs next: its rows are the loop's rows, in order.</summary>
    public void Running(IReadOnlyList<ImageJob> batch) => _batch = batch;

    public void OnStep(in StepState state)
    {
        var job = _batch[state.Row];
        job.Recorder?.Record(state);
        watchdog.Restart();
        observer.OnProgress(new GenerationProgress(job.Index, imageCount, state.PlanStepIndex, job.StepCount, state.Step.DisplayTimestep,
            state.Segment.Model, job.Prompt, job.Seed, job.Mode, ++_stepsDone, totalSteps));
    }
}
