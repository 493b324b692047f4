namespace HybridDiffusion.PowerShell;

/// <summary>
/// Get-HybridSession: the ONNX Runtime sessions this PowerShell process holds (model, provider, size, last use): those of
/// the engine all its runspaces share (<see cref="SharedEngine"/>).
/// </summary>
[Cmdlet(VerbsCommon.Get, "HybridSession")]
[OutputType(typeof(SessionInfo))]
public sealed class GetHybridSessionCommand : PSCmdlet
{
    /// <summary>Only sessions whose model path matches (wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[] ModelPath { get; set; } = { "*" };

    protected override void ProcessRecord()
    {
        var patterns = ModelPath.Select(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase)).ToList();
        foreach (var session in SharedEngine.Instance.Sessions.List().Where(s => patterns.Any(p => p.IsMatch(s.ModelPath))))
        {
            WriteObject(session);
        }
    }
}
