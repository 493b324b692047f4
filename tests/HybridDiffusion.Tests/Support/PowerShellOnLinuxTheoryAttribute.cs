namespace HybridDiffusion.Tests.Support;

/// <summary>
/// A theory that runs bash scripts beside the repository's PowerShell tool (a stand-in `dotnet` is a bash script):
/// reported as skipped off Linux, or where `dotnet tool restore` has not installed that PowerShell.
/// </summary>
public sealed class PowerShellOnLinuxTheoryAttribute : TheoryAttribute
{
    public PowerShellOnLinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs bash and Linux";
        }
        else if (!PowerShellProcess.IsInstalled)
        {
            Skip = "needs the PowerShell of .config/dotnet-tools.json: run dotnet tool restore";
        }
    }
}
