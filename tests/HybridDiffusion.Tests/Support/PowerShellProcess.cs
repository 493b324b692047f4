using System.Diagnostics;

namespace HybridDiffusion.Tests.Support;

/// <summary>
/// A script run by the PowerShell that the repository's tool manifest (.config/dotnet-tools.json) installs with
/// `dotnet tool restore`: the real pwsh, importing the packaged module, as a user's session would.
/// </summary>
internal static class PowerShellProcess
{
    private static string RepositoryRoot => CmdletMetadata.Metadata("RepositoryRoot");

    /// <summary>The packaged module's manifest (artifacts/module/HybridDiffusion), which the build writes.</summary>
    public static string ModuleManifest => Path.GetFullPath(Path.Combine(RepositoryRoot, "artifacts", "module", "HybridDiffusion", "HybridDiffusion.psd1"));

    private static readonly Lazy<bool> s_installed = new(() =>
    {
        var probe = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-Command", "exit 0" },
        };
        using var process = Process.Start(probe)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        return process.WaitForExit(TimeSpan.FromMinutes(1)) && process.ExitCode == 0;
    });

    /// <summary>
    /// Whether the manifest's PowerShell runs here (`dotnet tool restore` has installed it). Asked of the tool itself,
    /// once: where the tool store lies depends on NuGet settings the test cannot see.
    /// </summary>
    public static bool IsInstalled => s_installed.Value;

    /// <summary>Runs a script file; returns its exit code and what it wrote.</summary>
    public static async Task<(int Code, string Output, string Errors)> RunAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", script },
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>A string as a PowerShell single-quoted literal.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>A fact that needs the repository's PowerShell tool; where `dotnet tool restore` has not installed it, it is reported as skipped.</summary>
public sealed class PowerShellFactAttribute : FactAttribute
{
    private const string NotInstalled = "needs the PowerShell of .config/dotnet-tools.json: run dotnet tool restore";

    public PowerShellFactAttribute()
    {
        if (!PowerShellProcess.IsInstalled)
        {
            Skip = NotInstalled;
        }
    }
}
