using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HybridDiffusion.Core.Output;

/// <summary>
/// Names of this tool's temporary files and folders (".NAME.PID-GUID.tmp" beside the final NAME), the owner marker
/// it writes beside each one (the same name with ".owner" added), and the sweep that removes the ones a killed
/// process left behind.
/// </summary>
/// <remarks>
/// A name alone proves nothing: another program may use the same pattern. So the sweep looks only at owner markers,
/// and removes a temporary entry only when its marker is this tool's (it holds <see cref="MarkerSignature"/>, the
/// entry's own name and whether it is a file or a folder) and the entry is of that kind. A marker is stale, and swept
/// with its entry, when it was last written more than a minute ago, and either the process id in its name is not
/// running on this machine or it was last written more than a day ago (a recycled process id). Every write through a
/// temporary name takes well under a minute, so a live writer's entry is never touched, also when another machine
/// writes into a shared folder. Entries without a marker (older versions of this tool, other programs) are left alone.
/// </remarks>
public static partial class TempNames
{
    internal static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(1);
    internal static readonly TimeSpan RecycledPidAge = TimeSpan.FromDays(1);
    internal const string MarkerSuffix = ".owner";
    internal const string MarkerSignature = "HybridDiffusion temporary entry";

    // A marker is a few dozen bytes; anything larger is not one of this tool's.
    private const int MaximumMarkerBytes = 4096;

    [GeneratedRegex(@"^(?<entry>\..+\.(?<pid>\d{1,10})-[0-9a-f]{32}\.tmp)\.owner$")]
    private static partial Regex MarkerPattern();

    /// <summary>A fresh temporary name for <paramref name="path"/>, in the same folder so the final move is a rename.</summary>
    public static string For(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
    }

    /// <summary>What an owner marker of <paramref name="entryName"/> holds.</summary>
    internal static string MarkerText(string entryName, bool isFolder) =>
        $"{MarkerSignature}\n{entryName}\n{(isFolder ? "folder" : "file")}\n";

    /// <summary>
    /// Removes stale temporary files and folders that this tool's owner markers prove it made from
    /// <paramref name="folder"/>, saying each in <paramref name="log"/>'s verbose stream; returns how many entries.
    /// </summary>
    public static int SweepStale(string folder, IEngineLog? log = null, DateTime? nowUtc = null)
    {
        var now = nowUtc ?? DateTime.UtcNow;
        int removed = 0;
        List<string> markers;
        try
        {
            markers = Directory.EnumerateFiles(folder, ".*.tmp" + MarkerSuffix).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var marker in markers)
        {
            var match = MarkerPattern().Match(Path.GetFileName(marker));
            if (!match.Success || !IsStale(marker, match.Groups["pid"].Value, now) || ReadMarker(marker) is not { } text)
            {
                continue;
            }
            var entryName = match.Groups["entry"].Value;
            var entry = Path.Combine(folder, entryName);
            bool isFolder = text == MarkerText(entryName, isFolder: true);
            if (!isFolder && text != MarkerText(entryName, isFolder: false))
            {
                continue;
            }
            // The entry must still be of the kind its marker names, and never a link (whatever it points to is not ours).
            var info = isFolder ? (FileSystemInfo)new DirectoryInfo(entry) : new FileInfo(entry);
            if (info.Exists && info.LinkTarget is null)
            {
                if (!TryDelete(entry))
                {
                    continue;
                }
                removed++;
                log?.Verbose($"Removed '{entry}', a temporary {(isFolder ? "folder" : "file")} of this tool left by a process that ended.");
            }
            else if (File.Exists(entry) || Directory.Exists(entry))
            {
                continue;
            }
            TryDelete(marker);
        }
        return removed;
    }

    private static bool IsStale(string marker, string processId, DateTime now)
    {
        var age = now - File.GetLastWriteTimeUtc(marker);
        return age > MinimumAge && (age > RecycledPidAge || !IsRunning(processId));
    }

    private static string? ReadMarker(string marker)
    {
        try
        {
            var info = new FileInfo(marker);
            if (info.LinkTarget is not null || info.Length > MaximumMarkerBytes)
            {
                return null;
            }
            return File.ReadAllText(marker, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsRunning(string processId)
    {
        if (!int.TryParse(processId, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return false;
        }
        if (pid == Environment.ProcessId)
        {
            return true;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Deletes a temporary file or folder, ignoring what cannot be deleted (it is swept on a later run).</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
