using System.Diagnostics;

namespace HybridDiffusion.Analysis.Benchmarks;

/// <summary>The process's peak working set (resident memory), and on Linux a way to restart its measurement.</summary>
public static class ProcessMemory
{
    /// <summary>
    /// Restarts the peak at the current working set, so the next reading covers only what runs in between (Linux:
    /// /proc/self/clear_refs, value 5). False where that is not possible: the peak then covers the whole process.
    /// </summary>
    public static bool TryResetPeak()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The peak working set in bytes (VmHWM on Linux).</summary>
    public static long PeakWorkingSetBytes()
    {
        if (ProcFile.ReadKilobytesAsBytes("/proc/self/status", "VmHWM") is long peak)
        {
            return peak;
        }
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
