using System.Diagnostics;

namespace HybridDiffusion.Tests.Support;

/// <summary>The `hybrid` CLI run as a process of its own (for signals, exit codes and peak memory).</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _output = new(), _errors = new();

    public CliProcess(params string[] args)
        : this(new Dictionary<string, string>(), args)
    {
    }

    /// <param name="environment">Variables set for the process beside the test process's own.</param>
    public CliProcess(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hybrid.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (_output)
            {
                _output.AppendLine(e.Data);
            }
            _firstLine.TrySetResult();
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Waits until the process has printed its first line (an image written), or has ended.</summary>
    public void WaitForFirstLine() => Task.WaitAny(_firstLine.Task, _process.WaitForExitAsync());

    /// <summary>The process's peak resident memory so far (Linux), in bytes.</summary>
    public long PeakResidentBytes() => ProcFileValue($"/proc/{Id}/status", "VmHWM");

    /// <summary>Sends a signal by name (INT, TERM) with the system's kill command.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", new[] { "-" + name, Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the exit (a hang fails the test rather than the run) and returns the exit code.</summary>
    public int WaitForExit()
    {
        Assert.True(_process.WaitForExit(TimeSpan.FromMinutes(2)), "the CLI did not end");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.Dispose();
    }

    private static long ProcFileValue(string path, string key) =>
        File.ReadLines(path).Where(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(key.Length + 1)..].Trim().Split(' ')[0]) * 1024).Single();
}

/// <summary>A fact that needs POSIX signals and /proc (Linux); elsewhere it is reported as skipped.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    private const string NotLinux = "needs Linux signals and /proc";

    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = NotLinux;
        }
    }
}
