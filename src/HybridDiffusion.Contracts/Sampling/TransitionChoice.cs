using System.Globalization;

namespace HybridDiffusion.Contracts.Sampling;

/// <summary>
/// How automatic base steps (--base-steps auto) chose a hybrid image's transition point: the probe's figures for each
/// candidate k and the k they gave. Shared by every image of the prompt that the engine's probe served.
/// </summary>
/// <param name="BaseSteps">The chosen k: the smallest candidate whose distilled spread reached <see cref="Threshold"/> of the base's, else the last.</param>
/// <param name="ProbeSeeds">How many probe seeds ran (derived from the prompt and the models, never from the request's seeds).</param>
/// <param name="DistilledSpread">Per candidate k = 1, 2, …: mean pairwise RMS distance of the probe seeds' decoded distilled x̂0 at (x_k, t_k).</param>
/// <param name="BaseSpread">The same for the base model's x̂0 at (x_k, t_k).</param>
/// <param name="ModelCalls">UNet evaluations the probe took, all seeds together (not counted in any image's own model calls).</param>
/// <param name="Cached">Whether this request found the choice in the engine's cache, so it spent nothing on probing.</param>
public sealed record TransitionChoice(int BaseSteps, int ProbeSeeds, IReadOnlyList<double> DistilledSpread, IReadOnlyList<double> BaseSpread,
    int ModelCalls, bool Cached)
{
    /// <summary>The share of the base model's spread the distilled model's must reach for the hand-over to keep the base's diversity.</summary>
    public const double Threshold = 0.95;

    /// <summary>Candidates probed: k = 1 … this.</summary>
    public int Candidates => DistilledSpread.Count;

    /// <summary>The figures as the PNG's Transition chunk and --verbose state them.</summary>
    public override string ToString()
    {
        var figures = Enumerable.Range(0, Candidates).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"k={i + 1} {DistilledSpread[i]:0.0000}/{BaseSpread[i]:0.0000}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"auto k={BaseSteps}: distilled/base x̂0 spread {string.Join(", ", figures)}; first k with ratio ≥ {Threshold}") +
            (BaseSteps == Candidates && !Reaches(BaseSteps - 1) ? " (none: the last candidate)" : "") +
            string.Create(CultureInfo.InvariantCulture, $"; probe {ProbeSeeds} seeds, {ModelCalls} model calls{(Cached ? ", cached" : "")}");
    }

    /// <summary>Whether candidate index <paramref name="i"/> (k = i + 1) reached the threshold.</summary>
    public bool Reaches(int i) => DistilledSpread[i] >= Threshold * BaseSpread[i];
}
