using HybridDiffusion.Contracts.Demo;
using HybridDiffusion.Demo;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Get-HybridDemoModel: the built-in demo pair's files (base and distilled folders, embedding model, warmth slider),
/// written to the per-user cache first when missing, so scripts never spell out the cache location.
/// </summary>
[Cmdlet(VerbsCommon.Get, "HybridDemoModel")]
[OutputType(typeof(DemoModelPaths))]
public sealed class GetHybridDemoModelCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        try
        {
            WriteObject(DemoModels.EnsureInstalled(new PowerShellObserver(this, "Get-HybridDemoModel")));
        }
        catch (Exception ex) when (ErrorRecords.Terminating(ex, MyInvocation.MyCommand) is { } record)
        {
            ErrorRecords.ThrowTerminating(this, record);
        }
    }
}
