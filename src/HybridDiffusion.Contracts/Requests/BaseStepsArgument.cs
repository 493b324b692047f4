using System.Globalization;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// The base-step count as both faces take it (--base-steps, -BaseSteps): a whole number, or "auto" (any case) for
/// <see cref="GenerationSettings.AutoBaseSteps"/>. One parser, so both faces accept and refuse the same words.
/// </summary>
public static class BaseStepsArgument
{
    public const string Auto = "auto";

    /// <summary>The settings with the base steps <paramref name="text"/> asks for; refused (invalid argument) when it is neither.</summary>
    public static GenerationSettings ApplyTo(GenerationSettings settings, string text)
    {
        if (string.Equals(text.Trim(), Auto, StringComparison.OrdinalIgnoreCase))
        {
            return settings with { AutoBaseSteps = true };
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
            CultureInfo.InvariantCulture, out int count))
        {
            return settings with { BaseSteps = count };
        }
        throw HybridDiffusionException.Argument(SettingId.BaseSteps,
            $"The base-model step count must be a whole number or '{Auto}' (chosen per prompt by a probe of the models); got '{text}'.");
    }
}
