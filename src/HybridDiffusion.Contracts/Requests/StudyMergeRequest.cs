namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// What Measure-HybridStudy and `hybrid study merge` ask for: results folders of one study merged into a report folder,
/// optionally gated against an earlier summary.
/// </summary>
public sealed record StudyMergeRequest
{
    public const double DefaultMaxDrop = 0.05;

    public required IReadOnlyList<string> Directories { get; init; }

    /// <summary>Where summary.json, summary.csv, timings.json, junit.xml, report.html and the pictures go.</summary>
    public required string ReportDirectory { get; init; }

    /// <summary>An earlier summary.json: a row whose diversity fell by more than <see cref="MaxDrop"/> (intervals apart) fails.</summary>
    public string? Baseline { get; init; }

    /// <summary>The largest relative fall of a row's mean pairwise distance the gate lets through.</summary>
    public double MaxDrop { get; init; } = DefaultMaxDrop;

    /// <summary>Merge what is there when units are missing, instead of refusing.</summary>
    public bool AllowIncomplete { get; init; }

    public void Validate()
    {
        if (Directories.Count == 0)
        {
            throw HybridDiffusionException.Argument(SettingId.Path, "Name at least one results folder to merge.");
        }
        if (!(MaxDrop >= 0 && MaxDrop < 1))
        {
            throw HybridDiffusionException.Argument(SettingId.MaxDrop, $"The largest drop is a fraction from 0 to below 1 (0.05 lets diversity fall by 5%); got {MaxDrop}.");
        }
    }
}
