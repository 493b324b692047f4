using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HybridDiffusion.Core.Output;

/// <summary>
/// Names of this tool's temporary files and folders (".NAME.PID-GUID.tmp" beside the final NAME), and the sweep that
/// removes the ones a killed process left behind.
/// </summary>
/// <remarks>
/// A temporary entry is stale, and swept, when its name has this tool's pattern and it was last written more than a
/// minute ago, and either the process id in its name is not running on this machine or it was last written more than
/// a day ago (a recycled process id). Entries of the older pattern without a process id (".NAME.GUID.tmp") are
/// swept once they are an hour old. Every write through a temporary name takes well under a minute, so a live
/// writer's entry is never touched, also when another machine writes into a shared folder.
/// </remarks>
internal static partial class TempNames
{
    internal static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(1);
    internal static readonly TimeSpan PidlessAge = TimeSpan.FromHours(1);
    internal static readonly TimeSpan RecycledPidAge = TimeSpan.FromDays(1);

    [GeneratedRegex(@"^\..+\.(?:(?<pid>\d{1,10})-)?[0-9a-f]{32}\.tmp$")]
    private static partial Regex Pattern();

    /// <summary>A fresh temporary name for <paramref name="path"/>, in the same folder so the final move is a rename.</summary>
    public static string For(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Removes stale temporary files and folders of this tool from <paramref name="folder"/>; returns how many.</summary>
    public static int SweepStale(string folder, DateTime? nowUtc = null)
    {
        var now = nowUtc ?? DateTime.UtcNow;
        int removed = 0;
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(folder, ".*.tmp").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var entry in entries)
        {
            var match = Pattern().Match(Path.GetFileName(entry));
            if (!match.Success)
            {
                continue;
            }
            var age = now - (Directory.Exists(entry) ? Directory.GetLastWriteTimeUtc(entry) : File.GetLastWriteTimeUtc(entry));
            bool stale = match.Groups["pid"].Success
                ? age > MinimumAge && (age > RecycledPidAge || !IsRunning(match.Groups["pid"].Value))
                : age > PidlessAge;
            if (stale && TryDelete(entry))
            {
                removed++;
            }
        }
        return removed;
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
            if (Directory.Exists(path))
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
