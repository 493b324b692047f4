namespace HybridDiffusion.Core.Scheduling;

/// <summary>What a model output predicts (diffusers' prediction_type).</summary>
public enum PredictionType
{
    Epsilon,
    VPrediction,
    Sample,
}
