namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// How much of a set's variation lies along the base model's top principal directions: the measurable form of the
/// paper's "the distilled model possesses the base model's variation directions but does not activate them".
/// </summary>
/// <param name="Directions">k, the number of the base's top directions compared.</param>
/// <param name="BaseVariances">The base set's variance along each of its top k directions (its spectrum, descending).</param>
/// <param name="Variances">This set's variance along each of those directions.</param>
/// <param name="RelativeVariances">This set's variance over the base's, direction by direction (1: activated as much as the base does).</param>
/// <param name="BaseFraction">The share of the base set's total variance along the k directions.</param>
/// <param name="Fraction">The share of this set's total variance along the k directions.</param>
/// <param name="TotalVariance">This set's total variance (the trace of its covariance), for scale.</param>
public sealed record DirectionActivation(
    int Directions,
    IReadOnlyList<double> BaseVariances,
    IReadOnlyList<double> Variances,
    IReadOnlyList<double> RelativeVariances,
    double BaseFraction,
    double Fraction,
    double TotalVariance);
