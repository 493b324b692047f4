using System.Diagnostics;

namespace HybridDiffusion.Tests.Support;

/// <summary>A program run to its end in a folder, with extra environment variables; what it wrote, both streams together.</summary>
internal static class ChildProcess
{
    public static (int Code, string Output) Run(string program, string folder, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"{program} {string.Join(' ', args)} did not end");
        return (process.ExitCode, output + errors.Result);
    }
}
