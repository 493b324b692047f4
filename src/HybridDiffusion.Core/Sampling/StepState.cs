namespace HybridDiffusion.Core.Sampling;

/// <summary>The state after one step of one row: the latent moved on and the clean sample x̂0 the step predicted.</summary>
public readonly ref struct StepState
{
    public StepState(PlanSegment segment, ScheduleStep step, int planStepIndex, int row, ReadOnlySpan<float> prediction,
        ReadOnlySpan<float> predictedOriginal)
    {
        Prediction = prediction;
        Segment = segment;
        Step = step;
        PlanStepIndex = planStepIndex;
        Row = row;
        PredictedOriginal = predictedOriginal;
    }

    public PlanSegment Segment { get; }

    public ScheduleStep Step { get; }

    /// <summary>The step's position in the whole plan (0-based).</summary>
    public int PlanStepIndex { get; }

    /// <summary>The image's row in the batch (0-based).</summary>
    public int Row { get; }

    /// <summary>The model prediction the scheduler stepped with (after classifier-free guidance).</summary>
    public ReadOnlySpan<float> Prediction { get; }

    public ReadOnlySpan<float> PredictedOriginal { get; }
}
