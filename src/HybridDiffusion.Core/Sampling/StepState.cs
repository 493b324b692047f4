namespace HybridDiffusion.Core.Sampling;

/// <summary>The state after one step of one row: the latent moved on and the clean sample x̂0 the step predicted.</summary>
public readonly ref struct StepState(PlanSegment segment, ScheduleStep step, int planStepIndex, int row, ReadOnlySpan<float> prediction,
    ReadOnlySpan<float> predictedOriginal)
{
    public PlanSegment Segment { get; } = segment;

    public ScheduleStep Step { get; } = step;

    /// <summary>The step's position in the whole plan (0-based).</summary>
    public int PlanStepIndex { get; } = planStepIndex;

    /// <summary>The image's row in the batch (0-based).</summary>
    public int Row { get; } = row;

    /// <summary>The model prediction the scheduler stepped with (after classifier-free guidance).</summary>
    public ReadOnlySpan<float> Prediction { get; } = prediction;

    public ReadOnlySpan<float> PredictedOriginal { get; } = predictedOriginal;
}
