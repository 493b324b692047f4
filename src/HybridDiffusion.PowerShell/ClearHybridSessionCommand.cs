namespace HybridDiffusion.PowerShell;

/// <summary>
/// Clear-HybridSession: releases cached ONNX Runtime sessions (all, or those whose model path matches) and the memory
/// they hold, in the engine all runspaces of the process share (<see cref="SharedEngine"/>). A session still in use by a
/// running command is released when that command finishes.
/// </summary>
[Cmdlet(VerbsCommon.Clear, "HybridSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SessionInfo))]
public sealed class ClearHybridSessionCommand : PSCmdlet
{
    /// <summary>Only sessions whose model path matches (wildcards allowed); all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[] ModelPath { get; set; } = { "*" };

    /// <summary>Write the released sessions' descriptions.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var patterns = ModelPath.Select(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase)).ToList();
        var sessions = SharedEngine.Instance.Sessions;
        foreach (var session in sessions.List().Where(s => patterns.Any(p => p.IsMatch(s.ModelPath))))
        {
            var variant = session.Variant is null ? "" : $", sliders {SessionDescription.Sliders(session)}";
            if (!ShouldProcess($"{session.ModelPath} ({session.ActiveProvider}{variant})", "Release ONNX Runtime session"))
            {
                continue;
            }
            // Exactly the session confirmed: the same file may also be loaded with another provider or slider variant.
            if (sessions.Clear(s => SameSession(s, session)) > 0 && PassThru)
            {
                WriteObject(session);
            }
        }
    }

    private static bool SameSession(SessionInfo a, SessionInfo b) =>
        a.ModelPath == b.ModelPath && a.RequestedProvider == b.RequestedProvider && a.Variant == b.Variant && a.LoadedAt == b.LoadedAt;
}
