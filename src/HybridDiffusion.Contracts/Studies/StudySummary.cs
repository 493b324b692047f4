using HybridDiffusion.Contracts.Trajectories;

namespace HybridDiffusion.Contracts.Studies;

/// <summary>
/// A merged study (summary.json): per prompt × setting × metric the diversity of its seeds, per setting × metric the
/// mean over prompts (the paper's Table 2), per setting the x̂0 commitment curve over all prompts (Figure 5), and when
/// measured, FID/KID and prompt adherence per prompt × setting. It
/// holds no timings and no paths, so it is the same bytes whatever the sharding, order or re-runs; keep it as the next
/// run's baseline.
/// </summary>
public sealed record StudySummary
{
    public const int CurrentFormat = 1;

    public int FormatVersion { get; init; } = CurrentFormat;

    public required string Study { get; init; }

    public required string StudyHash { get; init; }

    public required string Reference { get; init; }

    public required int Prompts { get; init; }

    public required int SeedsPerPrompt { get; init; }

    /// <summary>How every interval was drawn: percentile bootstrap over images, this many resamples from this seed.</summary>
    public required int BootstrapResamples { get; init; }

    public required int BootstrapSeed { get; init; }

    public required double ConfidenceLevel { get; init; }

    public required IReadOnlyList<StudyRow> Rows { get; init; }

    public required IReadOnlyList<StudySettingRow> Settings { get; init; }

    public IReadOnlyList<CommitmentCurve> Curves { get; init; } = Array.Empty<CommitmentCurve>();

    public IReadOnlyList<Commitment> Commitments { get; init; } = Array.Empty<Commitment>();

    /// <summary>Per prompt × setting, FID and KID against the study's reference set; empty when the study names none.</summary>
    public IReadOnlyList<StudyDistributionRow> Distributions { get; init; } = Array.Empty<StudyDistributionRow>();

    /// <summary>Per prompt × setting, prompt adherence; empty when the study judges none.</summary>
    public IReadOnlyList<StudyAdherenceRow> Adherence { get; init; } = Array.Empty<StudyAdherenceRow>();

    /// <summary>Per setting, prompt adherence averaged over prompts; empty when the study judges none.</summary>
    public IReadOnlyList<StudySettingAdherence> SettingAdherence { get; init; } = Array.Empty<StudySettingAdherence>();
}
