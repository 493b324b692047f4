namespace HybridDiffusion.PowerShell;

/// <summary>
/// Refuses an output folder that cannot be one (a file, or a path under a file) before anything is computed,
/// instead of failing on the first write after minutes of work. A missing folder is fine: it is created when written.
/// </summary>
internal static class OutputFolderCheck
{
    /// <summary>Returns <paramref name="folder"/> (a resolved file-system path) when it can hold files.</summary>
    public static string? Check(string? folder, string parameter)
    {
        if (folder is null)
        {
            return null;
        }
        for (var path = Path.GetFullPath(folder); !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                throw HybridDiffusionException.Argument(parameter, path == Path.GetFullPath(folder)
                    ? $"-{parameter} '{folder}' is a file, not a folder; name a folder (it is created when missing)."
                    : $"-{parameter} '{folder}' lies under '{path}', which is a file; name a folder.");
            }
            if (Directory.Exists(path))
            {
                break;
            }
        }
        return folder;
    }
}
