using HybridDiffusion.Contracts.Studies;

namespace HybridDiffusion.PowerShell;

/// <summary>Get-HybridStudyStatus: units recorded of all in a study's results folder, overall and per shard.</summary>
[Cmdlet(VerbsCommon.Get, "HybridStudyStatus")]
[OutputType(typeof(StudyStatus))]
public sealed class GetHybridStudyStatusCommand : StudyFolderCmdlet
{
    /// <summary>Count the units of this many shards separately.</summary>
    [Parameter]
    public int ShardCount { get; set; } = 1;

    protected override void EndProcessing() => Run(() => WriteObject(StudyStatusReader.Read(SharedEngine.Instance, new StudyStatusRequest
    {
        Study = ReadStudy(),
        OutputDirectory = ResultsFolder,
        ShardCount = ShardCount,
    })), observer: null);
}
