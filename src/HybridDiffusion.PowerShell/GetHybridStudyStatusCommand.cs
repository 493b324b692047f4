using System.Management.Automation;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Studies;

namespace HybridDiffusion.PowerShell;

/// <summary>Get-HybridStudyStatus: units recorded of all in a study's results folder, overall and per shard.</summary>
[Cmdlet(VerbsCommon.Get, "HybridStudyStatus")]
[OutputType(typeof(StudyStatus))]
public sealed class GetHybridStudyStatusCommand : PSCmdlet
{
    /// <summary>The study: a JSON or .psd1 file, or a hashtable with the same keys.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object Study { get; set; } = null!;

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = null!;

    /// <summary>Count the units of this many shards separately.</summary>
    [Parameter]
    public int ShardCount { get; set; } = 1;

    protected override void EndProcessing()
    {
        try
        {
            WriteObject(StudyStatusReader.Read(SharedEngine.Instance, new StudyStatusRequest
            {
                Study = StudyArgument.Read(this, Study),
                OutputDirectory = GetUnresolvedProviderPathFromPSPath(OutputDirectory),
                ShardCount = ShardCount,
            }));
        }
        catch (Exception ex) when (ErrorRecords.Terminating(ex, MyInvocation.MyCommand) is { } record)
        {
            ThrowTerminatingError(record);
        }
    }
}
