using static System.FormattableString;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// Guidance in a limited interval (Kynkäänniemi et al., NeurIPS 2024): a guided segment applies classifier-free
/// guidance only at steps whose noise level σ = √((1−ᾱ)/ᾱ) lies in [<see cref="SigmaLow"/>, <see cref="SigmaHigh"/>]
/// (both edges inside); its other steps run one conditional UNet pass, unguided.
/// </summary>
public sealed record GuidanceInterval(double SigmaLow, double SigmaHigh)
{
    public bool Contains(double sigma) => sigma >= SigmaLow && sigma <= SigmaHigh;

    /// <summary>The interval a face's two numbers give (low, high); null when none are given.</summary>
    public static GuidanceInterval? FromOptions(IReadOnlyList<double>? values) => values switch
    {
        null or { Count: 0 } => null,
        { Count: 2 } => new GuidanceInterval(values[0], values[1]),
        _ => throw HybridDiffusionException.Argument(SettingId.GuidanceInterval,
            $"The guidance interval takes two noise levels σ, low and high (for example 0.28 5.42); got {values.Count}."),
    };

    /// <summary>What is wrong with the interval on its own (the schedule's range is checked with the model); null when nothing.</summary>
    public (SettingId Setting, string Problem)? FindProblem()
    {
        if (!(SigmaLow >= 0) || !double.IsFinite(SigmaHigh))
        {
            return (SettingId.GuidanceInterval, Invariant($"The guidance interval's noise levels σ must be finite numbers ≥ 0; got {SigmaLow} to {SigmaHigh}."));
        }
        if (SigmaLow > SigmaHigh)
        {
            return (SettingId.GuidanceInterval, Invariant($"The guidance interval's low σ ({SigmaLow}) is above its high σ ({SigmaHigh}); give the low one first."));
        }
        return null;
    }

    /// <summary>The form a plan segment carries it in (after '+').</summary>
    public override string ToString() => Invariant($"interval(lo={SigmaLow},hi={SigmaHigh})");
}
