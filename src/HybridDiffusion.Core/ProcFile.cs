using System.Globalization;

namespace HybridDiffusion.Core;

/// <summary>Reads the "Key:   N kB" lines of Linux /proc files (meminfo, self/status); the engine's memory planning
/// and the analysis layer's benchmarks read them.</summary>
public static class ProcFile
{
    /// <summary>The value of <paramref name="key"/> in bytes; null off Linux, or when the file or key cannot be read.</summary>
    public static long? ReadKilobytesAsBytes(string path, string key)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The caller falls back to the runtime's figure.
        }
        return null;
    }
}
