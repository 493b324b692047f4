namespace HybridDiffusion.Contracts.Sampling;

/// <summary>Mode names as users type them ("hybrid", "skip-first", "SkipFirst", ...), one spelling for both faces.</summary>
public static class GenerationModes
{
    /// <summary>A mode as users type it: "hybrid", "skip-first", ...</summary>
    public static string Name(GenerationMode mode) => mode == GenerationMode.SkipFirst ? "skip-first" : mode.ToString().ToLowerInvariant();

    public static GenerationMode Parse(string text)
    {
        var compact = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (!int.TryParse(compact, out _) && Enum.TryParse<GenerationMode>(compact, ignoreCase: true, out var mode))
        {
            return mode;
        }
        throw HybridDiffusionException.Argument(SettingId.Mode,
            $"Mode '{text}' is not known. Use one of: {string.Join(", ", Enum.GetValues<GenerationMode>().Select(Name))}.");
    }
}
