using HybridDiffusion.Contracts.Sliders;

namespace HybridDiffusion.Cli;

/// <summary>Parses --slider FILE:STRENGTH[:TARGET[:START]] (TARGET base, distilled or both; START a timestep 0..999).</summary>
internal static class SliderArgument
{
    private const string Format = "FILE:STRENGTH[:TARGET[:START]], e.g. warmth.safetensors:1.5 or age.safetensors:-2:base:700";

    public static SliderSpec Parse(string text)
    {
        // The file is everything before the first ':' that a number follows, so paths holding ':' (Windows drive
        // letters, "a:b/x.safetensors") stay whole; at most TARGET and START may follow the strength.
        var fields = text.Split(':');
        int first = Enumerable.Range(1, Math.Max(fields.Length - 1, 0))
            .FirstOrDefault(i => fields.Length - i <= 3 && IsNumber(fields[i]));
        if (first == 0)
        {
            throw Invalid($"--slider '{text}' should read {Format}.");
        }
        var path = string.Join(':', fields[..first]);
        if (path.Length == 0)
        {
            throw Invalid($"--slider '{text}' names no file; it should read {Format}.");
        }
        var strength = float.Parse(fields[first], NumberStyles.Float, CultureInfo.InvariantCulture);
        var target = fields.Length > first + 1 ? fields[first + 1].ToLowerInvariant() switch
        {
            "base" => SliderTarget.Base,
            "distilled" => SliderTarget.Distilled,
            "both" => SliderTarget.Both,
            _ => throw Invalid($"--slider '{text}': the target '{fields[first + 1]}' should be base, distilled or both ({Format})."),
        } : SliderTarget.Both;
        int? start = null;
        if (fields.Length > first + 2)
        {
            if (!int.TryParse(fields[first + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var timestep) || timestep > 999)
            {
                throw Invalid($"--slider '{text}': the start '{fields[first + 2]}' should be a whole timestep from 0 to 999 ({Format}).");
            }
            start = timestep;
        }
        return new SliderSpec(path, strength, target, start);
    }

    private static bool IsNumber(string field) =>
        float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static HybridDiffusionException Invalid(string message) => HybridDiffusionException.Argument(SettingId.Slider, message);
}
