namespace HybridDiffusion.Contracts.Trajectories;

/// <summary>Per mode: the fraction of its steps it needs to come within the threshold of its final image.</summary>
/// <param name="MeanCurveFraction">From the mean curve.</param>
/// <param name="MeanRunFraction">The average over runs of each run's own fraction.</param>
public sealed record Commitment(string Label, double Threshold, double MeanCurveFraction, double MeanRunFraction, int Runs);
