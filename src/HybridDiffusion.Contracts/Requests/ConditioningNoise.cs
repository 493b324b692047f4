using static System.FormattableString;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// Noise on the prompt embedding for the first part of sampling, what ComfyUI and SwarmUI call seed variance:
/// ŷ = y + strength·n for the steps whose position in the plan is below <see cref="Fraction"/> × the step count, then
/// the clean y.
/// </summary>
public sealed record ConditioningNoise
{
    /// <summary>This project's choice (no paper fixes one): the first half of the steps.</summary>
    public const double DefaultFraction = 0.5;

    public required double Strength { get; init; }

    /// <summary>The share of the plan's steps, from the first, that get the noise; in (0, 1].</summary>
    public double Fraction { get; init; } = DefaultFraction;

    /// <summary>Whether the step at <paramref name="planStep"/> (0-based) of <paramref name="stepCount"/> gets the noise.</summary>
    public bool Covers(int planStep, int stepCount) => planStep < Fraction * stepCount;

    /// <summary>The noise a face's options ask for: null when no strength is given (a fraction alone is refused).</summary>
    public static ConditioningNoise? FromOptions(double? strength, double? fraction)
    {
        if (strength is not double given)
        {
            return fraction is null ? null : throw HybridDiffusionException.Argument(SettingId.ConditionNoiseFraction,
                "The conditioning-noise fraction applies only with a conditioning-noise strength; give the strength too, or leave the fraction out.");
        }
        return new ConditioningNoise { Strength = given, Fraction = fraction ?? DefaultFraction };
    }

    /// <summary>The first parameter out of range, with what is wrong; null when both are valid.</summary>
    public (SettingId Setting, string Problem)? FindProblem()
    {
        if (!(Strength >= 0) || !double.IsFinite(Strength))
        {
            return (SettingId.ConditionNoise, Invariant($"The conditioning-noise strength must be a finite number ≥ 0; got {Strength}."));
        }
        if (!(Fraction > 0 && Fraction <= 1))
        {
            return (SettingId.ConditionNoiseFraction, Invariant($"The conditioning-noise fraction is the share of steps that get the noise, above 0 and at most 1; got {Fraction}."));
        }
        return null;
    }

    /// <summary>The form a plan segment carries it in (after '+').</summary>
    public override string ToString() => Invariant($"noise(strength={Strength},fraction={Fraction})");
}
