namespace HybridDiffusion.Core.Models;

/// <summary>
/// Where users keep models: the folders named in HYBRIDDIFFUSION_MODELS (separated like PATH), and any a face adds
/// (the demo pair's folder).
/// Used by tab completion to offer model folders (diffusers-ONNX layout) and single UNet .onnx files.
/// </summary>
public static class ModelDirectories
{
    public const string Variable = "HYBRIDDIFFUSION_MODELS";

    /// <summary>The configured roots, then <paramref name="extraRoots"/>, that exist, in that order.</summary>
    public static IReadOnlyList<string> Configured(params string[] extraRoots)
    {
        var roots = (Environment.GetEnvironmentVariable(Variable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
        roots.AddRange(extraRoots);
        return roots.Where(Directory.Exists).Select(Path.GetFullPath).Distinct().ToList();
    }

    /// <summary>Model folders and .onnx files directly under <paramref name="roots"/> whose name starts with <paramref name="prefix"/>.</summary>
    public static IEnumerable<string> Candidates(IEnumerable<string> roots, string prefix)
    {
        foreach (var root in roots)
        {
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateDirectories(root).Where(IsModelFolder)
                    .Concat(Directory.EnumerateFiles(root, "*.onnx"))
                    .OrderBy(p => p, StringComparer.OrdinalIgnoreCase)
                    .ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Completion must never fail because one configured folder is unreadable.
                continue;
            }
            foreach (var entry in entries.Where(e => Path.GetFileName(e).StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                yield return entry;
            }
        }
    }

    public static bool IsModelFolder(string folder) =>
        File.Exists(Path.Combine(folder, "model_index.json")) || File.Exists(Path.Combine(folder, "unet", "model.onnx"));
}
