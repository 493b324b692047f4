namespace HybridDiffusion.Analysis.Diversity;

/// <summary>Expands named samples: files, folders (their *.png files) and wildcards in the file name.</summary>
internal static class SampleFiles
{
    /// <summary>The matching files in argument order (each folder or pattern sorted by name), and the arguments that matched nothing.</summary>
    public static (List<string> Files, List<string> Unmatched) Expand(IEnumerable<string> arguments)
    {
        var files = new List<string>();
        var unmatched = new List<string>();
        foreach (var argument in arguments)
        {
            var matches = Match(argument);
            if (matches.Count == 0)
            {
                unmatched.Add(argument);
            }
            files.AddRange(matches);
        }
        return (files.Distinct(StringComparer.Ordinal).ToList(), unmatched);
    }

    private static List<string> Match(string argument)
    {
        var full = Path.GetFullPath(argument);
        if (Directory.Exists(full))
        {
            return Sorted(Directory.EnumerateFiles(full, "*.png"));
        }
        var name = Path.GetFileName(full);
        if (name.IndexOfAny(new[] { '*', '?' }) >= 0)
        {
            var folder = Path.GetDirectoryName(full)!;
            return Directory.Exists(folder) ? Sorted(Directory.EnumerateFiles(folder, name)) : new List<string>();
        }
        return File.Exists(full) ? new List<string> { full } : new List<string>();
    }

    private static List<string> Sorted(IEnumerable<string> files) => files.OrderBy(f => f, StringComparer.Ordinal).ToList();
}
