using static System.FormattableString;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// Condition annealing (CADS, Sadat et al., ICLR 2024): Gaussian noise on the prompt embedding that is strongest at
/// high noise and gone below <see cref="Tau1"/>. At t = timestep / training timesteps (1 is pure noise) the embedding y
/// becomes ŷ = √γ(t)·y + s·√(1−γ(t))·n, rescaled to y's mean and standard deviation and mixed back with factor ψ.
/// The defaults lie in the paper's recommended ranges (τ1 0.6, τ2 0.9, s 0.25, ψ 1).
/// </summary>
public sealed record ConditionAnnealing
{
    public const double DefaultTau1 = 0.6, DefaultTau2 = 0.9, DefaultScale = 0.25, DefaultPsi = 1;

    /// <summary>Below this t (and at it) the condition is clean.</summary>
    public double Tau1 { get; init; } = DefaultTau1;

    /// <summary>From this t up the condition is all noise (before the rescale).</summary>
    public double Tau2 { get; init; } = DefaultTau2;

    /// <summary>The noise scale s.</summary>
    public double Scale { get; init; } = DefaultScale;

    /// <summary>ψ: how much of the rescaled embedding is kept (1: all; 0: none, the unrescaled noisy one).</summary>
    public double Psi { get; init; } = DefaultPsi;

    /// <summary>The annealing schedule γ(t): 1 up to τ1, falling linearly to 0 at τ2, 0 above.</summary>
    public double Gamma(double t) => t <= Tau1 ? 1 : t >= Tau2 ? 0 : (Tau2 - t) / (Tau2 - Tau1);

    /// <summary>The annealing a face's options ask for: null when neither the switch nor any parameter is given.</summary>
    public static ConditionAnnealing? FromOptions(bool enabled, double? tau1, double? tau2, double? scale, double? psi) =>
        !enabled && tau1 is null && tau2 is null && scale is null && psi is null ? null : new ConditionAnnealing
        {
            Tau1 = tau1 ?? DefaultTau1,
            Tau2 = tau2 ?? DefaultTau2,
            Scale = scale ?? DefaultScale,
            Psi = psi ?? DefaultPsi,
        };

    /// <summary>The first parameter out of range, with what is wrong; null when all are valid.</summary>
    public (SettingId Setting, string Problem)? FindProblem()
    {
        foreach (var (setting, name, value) in new[] { (SettingId.CadsTau1, "τ1", Tau1), (SettingId.CadsTau2, "τ2", Tau2) })
        {
            if (!(value >= 0 && value <= 1))
            {
                return (setting, Invariant($"The CADS threshold {name} is a fraction of the noise range, between 0 and 1; got {value}."));
            }
        }
        if (Tau1 > Tau2)
        {
            return (SettingId.CadsTau1, Invariant($"The CADS threshold τ1 ({Tau1}) must not be above τ2 ({Tau2}): the noise fades out between them."));
        }
        if (!(Scale >= 0) || !double.IsFinite(Scale))
        {
            return (SettingId.CadsScale, Invariant($"The CADS noise scale must be a finite number ≥ 0; got {Scale}."));
        }
        if (!(Psi >= 0 && Psi <= 1))
        {
            return (SettingId.CadsPsi, Invariant($"The CADS mixing factor ψ must be between 0 and 1; got {Psi}."));
        }
        return null;
    }

    /// <summary>The form a plan segment carries it in (after '+'), with every parameter.</summary>
    public override string ToString() => Invariant($"cads(tau1={Tau1},tau2={Tau2},scale={Scale},psi={Psi})");
}
