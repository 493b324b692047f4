namespace HybridDiffusion.Core.Output;

/// <summary>
/// Checks where a command will write (an output folder, or a report file) before any work is done, so a bad place
/// fails at once with a specific message instead of after minutes of computing. The caller passes the setting the
/// place came from (e.g. <see cref="SettingId.OutputDirectory"/>); the error carries it so each face can name its own option.
/// </summary>
public static class OutputDestination
{
    /// <summary>
    /// Checks that <paramref name="path"/> is, or can become, a folder this process can write to, and sweeps this
    /// tool's stale temporary files from it (see <see cref="TempNames"/>). Creates nothing. Returns the full path.
    /// </summary>
    /// <param name="what">What the folder is for, in words ("the output folder").</param>
    /// <param name="log">Where the sweep says what it removed.</param>
    public static string PrepareFolder(string? path, SettingId target, string what, IEngineLog? log = null)
    {
        var full = FullPath(path, target, what);
        if (File.Exists(full))
        {
            throw Problem(target, $"{Capitalised(what)} '{full}' is a file; name a folder (it is created when missing).");
        }
        PrepareWritable(full, target, what, log);
        return full;
    }

    /// <summary>
    /// Checks that <paramref name="path"/> names a file this process can create or replace (its folder is created
    /// when missing), and sweeps stale temporary files from that folder. Creates nothing. Returns the full path.
    /// </summary>
    public static string PrepareFile(string? path, SettingId target, string what, IEngineLog? log = null)
    {
        var full = FullPath(path, target, what);
        if (Directory.Exists(full) || path!.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
        {
            throw Problem(target, $"{Capitalised(what)} '{full}' is a folder; name a file inside it, e.g. '{Path.Combine(full.TrimEnd('/', Path.DirectorySeparatorChar), "report.xml")}'.");
        }
        var folder = Path.GetDirectoryName(full)!;
        if (File.Exists(folder))
        {
            throw Problem(target, $"{Capitalised(what)} '{full}' is inside '{folder}', which is a file, not a folder.");
        }
        PrepareWritable(folder, target, what, log);
        return full;
    }

    private static string FullPath(string? path, SettingId target, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw Problem(target, $"{Capitalised(what)} is empty; name a path (use '.' for the current folder).");
        }
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Problem(target, $"{Capitalised(what)} '{path}' is not a valid path: {ex.Message}");
        }
    }

    private static void PrepareWritable(string folder, SettingId target, string what, IEngineLog? log)
    {
        CheckWritable(folder, target, what);
        if (Directory.Exists(folder))
        {
            TempNames.SweepStale(folder, log);
        }
    }

    // The nearest existing folder on the way up must be a folder (not a file) and must accept a new file: probed with
    // this tool's owner marker for a temporary name, deleted at once (and swept later if this process dies in between).
    private static void CheckWritable(string folder, SettingId target, string what)
    {
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw Problem(target, $"{Capitalised(what)} '{folder}' cannot be created: '{existing}' is a file, not a folder.");
            }
            existing = Path.GetDirectoryName(existing)
                ?? throw Problem(target, $"{Capitalised(what)} '{folder}' is on a drive or share that does not exist.");
        }
        try
        {
            TempEntry.Claim(Path.Combine(existing, "write-check"), isFolder: false).Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The exception's own text names the probe file, which would only confuse.
            var where = existing == folder ? $"'{folder}'" : $"'{existing}' (to create '{folder}' in it)";
            throw Problem(target, $"{Capitalised(what)} cannot be written: this user cannot create files in {where}. Choose another place.");
        }
    }

    private static string Capitalised(string what) => char.ToUpperInvariant(what[0]) + what[1..];

    private static HybridDiffusionException Problem(SettingId target, string message) => HybridDiffusionException.Argument(target, message);
}
