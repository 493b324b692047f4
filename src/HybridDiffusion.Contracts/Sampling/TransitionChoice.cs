using System.Globalization;

namespace HybridDiffusion.Contracts.Sampling;

/// <summary>
/// How automatic base steps (--base-steps auto) chose a hybrid image's transition point: the probe's figures for each
/// candidate k and the k they gave. Shared by every image of the prompt that the engine's probe served.
/// </summary>
/// <param name="BaseSteps">The chosen k: the smallest candidate whose spread reached <see cref="Threshold"/> of the last candidate's, else the last.</param>
/// <param name="ProbeSeeds">How many probe seeds ran (derived from the prompt and the models, never from the request's seeds).</param>
/// <param name="DistilledSpread">Per candidate k = 1, 2, …, K: mean pairwise RMS distance of the probe seeds' decoded distilled x̂0 at (x_k, t_k), the distilled model's pictures after k base steps.</param>
/// <param name="ModelCalls">UNet evaluations the probe took, all seeds together (not counted in any image's own model calls).</param>
/// <param name="Cached">Whether this request found the choice in the engine's cache, so it spent nothing on probing.</param>
public sealed record TransitionChoice(int BaseSteps, int ProbeSeeds, IReadOnlyList<double> DistilledSpread, int ModelCalls, bool Cached)
{
    /// <summary>
    /// The share of the reference spread (after K base steps) the spread after k must reach: a hand-over that collapses
    /// gives the probe seeds one picture (a share near 0), one that keeps the diversity a share near 1 that a few seeds
    /// make noisy, so the line is drawn between them.
    /// </summary>
    public const double Threshold = 0.5;

    /// <summary>Candidates probed: k = 1 … this.</summary>
    public int Candidates => DistilledSpread.Count;

    /// <summary>The spread the candidates are held to: the distilled model's after the most base steps probed.</summary>
    public double ReferenceSpread => DistilledSpread[^1];

    /// <summary>The figures as the PNG's Transition chunk and --verbose state them.</summary>
    public override string ToString()
    {
        var figures = Enumerable.Range(0, Candidates).Select(i => string.Create(CultureInfo.InvariantCulture, $"k={i + 1} {DistilledSpread[i]:0.0000}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"auto k={BaseSteps}: distilled x̂0 spread {string.Join(", ", figures)}; first k with spread ≥ {Threshold} × k={Candidates}'s") +
            (BaseSteps == Candidates && !Reaches(BaseSteps - 1) ? " (none: the last candidate)" : "") +
            string.Create(CultureInfo.InvariantCulture, $"; probe {ProbeSeeds} seeds, {ModelCalls} model calls{(Cached ? ", cached" : "")}");
    }

    /// <summary>Whether candidate index <paramref name="i"/> (k = i + 1) reached the threshold.</summary>
    public bool Reaches(int i) => DistilledSpread[i] >= Threshold * ReferenceSpread;
}
