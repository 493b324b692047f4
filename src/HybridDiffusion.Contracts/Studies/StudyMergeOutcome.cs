namespace HybridDiffusion.Contracts.Studies;

/// <summary>What a merge wrote and found: the summary, units missing or recorded twice, the gate, and the report's files.</summary>
public sealed record StudyMergeOutcome(StudySummary Summary, IReadOnlyList<string> MissingUnits, IReadOnlyList<string> DuplicatedUnits,
    StudyGateResult? Gate, string ReportDirectory, string ReportPath)
{
    public int MissingCount { get; init; }
}
