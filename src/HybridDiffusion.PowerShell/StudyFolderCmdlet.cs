namespace HybridDiffusion.PowerShell;

/// <summary>The study and its results folder, which the cmdlets that run a study's shard and count its recorded units both take.</summary>
public abstract class StudyFolderCmdlet : EngineCmdlet
{
    /// <summary>The study: a JSON or .psd1 file, or a hashtable with the same keys.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object Study { get; set; } = null!;

    /// <summary>The results folder, shared by the study's shards.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = null!;

    private protected StudyDefinition ReadStudy() => StudyArgument.Read(this, Study);

    private protected string ResultsFolder => GetUnresolvedProviderPathFromPSPath(OutputDirectory);
}
