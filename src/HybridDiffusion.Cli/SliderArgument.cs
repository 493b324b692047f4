using System.Globalization;
using System.Text.RegularExpressions;
using HybridDiffusion.Sliders;

namespace HybridDiffusion.Cli;

/// <summary>Parses --slider FILE:STRENGTH[:TARGET[:START]] (TARGET base, distilled or both; START a timestep).</summary>
internal static partial class SliderArgument
{
    // The path is matched lazily, so Windows drive letters ("C:\...") stay part of it.
    [GeneratedRegex(@"^(?<path>.+?):(?<strength>[^:\\/]+?)(?::(?<target>base|distilled|both))?(?::(?<start>\d+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    public static SliderSpec Parse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success || !float.TryParse(match.Groups["strength"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var strength))
        {
            throw HybridDiffusionException.Argument("Slider",
                $"--slider '{text}' should read FILE:STRENGTH[:TARGET[:START]], e.g. warmth.safetensors:1.5 or age.safetensors:-2:base:700.");
        }
        var target = match.Groups["target"].Success ? Enum.Parse<SliderTarget>(match.Groups["target"].Value, ignoreCase: true) : SliderTarget.Both;
        int? start = match.Groups["start"].Success ? int.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture) : null;
        return new SliderSpec(match.Groups["path"].Value, strength, target, start);
    }
}
