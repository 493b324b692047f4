namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// A fact that starts a real one-node Slurm cluster: it needs Linux, root, and Debian's slurm-wlm and munge (which
/// .ci/run installs when it can). Elsewhere it is reported as skipped, with what is missing.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    private static readonly string[] Programs = { "/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch", "/usr/bin/scancel" };

    public SlurmFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux (a one-node Slurm cluster of Debian's slurm-wlm)";
        }
        else if (Programs.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            Skip = $"needs slurm-wlm and munge ({missing} is missing): apt-get install -y slurm-wlm munge, as .ci/run does when it runs as root";
        }
        else if (System.Environment.UserName != "root")
        {
            Skip = "needs root to start slurmd and munged (scripts/slurm/cluster.sh)";
        }
    }
}
