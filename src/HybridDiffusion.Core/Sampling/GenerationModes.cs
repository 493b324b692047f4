using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>Reads mode names as users type them ("hybrid", "skip-first", "SkipFirst", ...).</summary>
public static class GenerationModes
{
    public static IReadOnlyList<string> Names { get; } = Enum.GetNames<GenerationMode>().Select(n => n.ToLowerInvariant()).ToArray();

    public static GenerationMode Parse(string text)
    {
        var compact = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (!int.TryParse(compact, out _) && Enum.TryParse<GenerationMode>(compact, ignoreCase: true, out var mode))
        {
            return mode;
        }
        throw HybridDiffusionException.Argument("Mode",
            $"Mode '{text}' is not known. Use one of: hybrid, distilled, base, skip-first, reverse, plan.");
    }
}
