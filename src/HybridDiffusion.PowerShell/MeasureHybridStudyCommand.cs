using HybridDiffusion.Contracts.Studies;
using HybridDiffusion.Demo;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Measure-HybridStudy: merges a study's results folders (never generating) into its summary, charts, contact sheets,
/// HTML report and JUnit; with -Baseline, writes an error record for each row whose diversity fell, and one for each
/// group above the study's FID/KID maximums or below its minimum adherence.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "HybridStudy", SupportsShouldProcess = true)]
[OutputType(typeof(StudyMergeOutcome))]
public sealed class MeasureHybridStudyCommand : EngineCmdlet
{
    /// <summary>The study's results folders (one, or one per shard).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Report { get; set; } = null!;

    /// <summary>An earlier summary.json to gate against.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Baseline { get; set; }

    [Parameter]
    public double MaxDrop { get; set; } = StudyMergeRequest.DefaultMaxDrop;

    [Parameter]
    public SwitchParameter AllowIncomplete { get; set; }

    protected override void EndProcessing()
    {
        var observer = new PowerShellObserver(this, "Measure-HybridStudy");
        Run(() =>
        {
            var report = GetUnresolvedProviderPathFromPSPath(Report);
            if (!ShouldProcess(report, "Write the study's summary and report"))
            {
                return;
            }
            var outcome = StudyMerger.Merge(SharedEngine.Instance, new StudyMergeRequest
            {
                Directories = Path.Select(GetUnresolvedProviderPathFromPSPath).ToArray(),
                ReportDirectory = report,
                Baseline = ResolvePath(Baseline),
                MaxDrop = MaxDrop,
                AllowIncomplete = AllowIncomplete,
            }, observer, StopToken, DemoAdherenceJudge.Open);
            foreach (var unit in outcome.DuplicatedUnits)
            {
                WriteWarning($"Recorded in several folders: {unit}");
            }
            if (outcome.MissingCount > 0)
            {
                WriteWarning($"{outcome.MissingCount} unit(s) missing (merged without them): {string.Join("; ", outcome.MissingUnits)}");
            }
            foreach (var row in (outcome.Gate?.NewRows ?? Array.Empty<string>()).Select(r => "Not in the baseline: " + r)
                .Concat((outcome.Gate?.MissingRows ?? Array.Empty<string>()).Select(r => "Only in the baseline: " + r)))
            {
                WriteVerbose(row);
            }
            WriteObject(outcome);
            foreach (var failure in outcome.Gate?.Failures ?? Array.Empty<StudyGateFailure>())
            {
                WriteError(ErrorRecords.GateFailed(failure.Message, failure.Setting, "HybridDiffusion.StudyDiversityDropped", failure));
            }
            foreach (var row in outcome.Summary.Distributions.Where(d => !d.Distribution.Passed))
            {
                WriteError(ErrorRecords.GateFailed(string.Join(" ", row.Distribution.Failures), row.Setting, "HybridDiffusion.StudyDistributionAboveMaximum", row));
            }
            foreach (var row in outcome.Summary.Adherence.Where(a => !a.Adherence.Passed))
            {
                WriteError(ErrorRecords.GateFailed(string.Join(" ", row.Adherence.Failures), row.Setting, "HybridDiffusion.StudyAdherenceBelowMinimum", row));
            }
        }, observer);
    }
}
