namespace HybridDiffusion.Contracts.Studies;

/// <summary>A merged study against a baseline summary: rows that fell, and rows only one of them has (listed, never failed).</summary>
public sealed record StudyGateResult(double MaxDrop, IReadOnlyList<StudyGateFailure> Failures, IReadOnlyList<string> NewRows, IReadOnlyList<string> MissingRows)
{
    public bool Passed => Failures.Count == 0;
}
