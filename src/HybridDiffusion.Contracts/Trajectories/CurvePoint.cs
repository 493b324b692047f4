namespace HybridDiffusion.Contracts.Trajectories;

/// <summary>The mean distance to the final image after one step position, over every run of a mode.</summary>
public sealed record CurvePoint(int StepIndex, double FractionDone, double Mean, double StandardDeviation, int Runs);
