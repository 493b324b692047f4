namespace HybridDiffusion.Contracts.Diversity;

/// <summary>
/// One group's Inception Score: exp(E KL(p(y|x) ‖ p(y))) of a classifier's class probabilities, high when each image is
/// confidently one class and the classes are spread over the group; the mean and standard deviation over equal splits.
/// </summary>
public sealed record InceptionScoreReport(string Group, int Count, double Mean, double StandardDeviation, int Splits, int SplitSize);
