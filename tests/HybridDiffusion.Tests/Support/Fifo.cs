using System.Diagnostics;

namespace HybridDiffusion.Tests.Support;

/// <summary>Named pipes, for checks that must refuse a file without opening it: opening a pipe blocks.</summary>
internal static class Fifo
{
    /// <summary>How long such a check may take before it counts as hung.</summary>
    public static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);

    public static void Make(string path)
    {
        using var mkfifo = Process.Start("mkfifo", new[] { path });
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
