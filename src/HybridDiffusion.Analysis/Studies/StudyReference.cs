using HybridDiffusion.Analysis.Diversity;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The study's reference set, read once per merge, and each prompt × setting group's FID and KID against it from the
/// model's own vectors its records keep: the diversity layer's comparison and gates, so a study and
/// `hybrid diversity --reference` over the same images give the same figures.
/// </summary>
internal sealed class StudyReference
{
    private readonly ReferenceSet _set;
    private readonly DiversityRequest _gates;
    private readonly string _name;

    private StudyReference(ReferenceSet set, StudyMeasure measure)
    {
        _set = set;
        _gates = new DiversityRequest { MaximumFid = measure.MaximumFid, MaximumKid = measure.MaximumKid };
        // The summary holds no paths (it is the same bytes wherever the study lies): the reference by its name.
        _name = Path.GetFileName(Path.TrimEndingDirectorySeparator(measure.Reference!));
    }

    /// <summary>The reference <paramref name="measure"/> names, embedded with its model; null when it names none.</summary>
    public static StudyReference? Open(HybridEngine engine, StudyMeasure measure, IStudyObserver observer, CancellationToken cancellation)
    {
        if (measure.Reference is null)
        {
            return null;
        }
        using var embedder = ImageEmbedder.Open(engine, measure.Embedding!, observer);
        return new StudyReference(ReferenceSet.Load(measure.Reference, embedder, new LogOnlyDiversityObserver(observer), cancellation), measure);
    }

    /// <summary>The group's row; null when it has fewer than two units. Why FID could not be computed is a failure of the row.</summary>
    public StudyDistributionRow? Measure(string prompt, string setting, IReadOnlyList<UnitRecord> records)
    {
        if (records.Count < 2)
        {
            return null;
        }
        var features = records.Select(r => r.Features ?? throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
            $"The record of '{r.Image}' holds no feature vector; the study names a reference set, so its run records one.", r.Image)).ToList();
        var problems = new List<HybridDiffusionException>();
        var report = DistributionComparison.Measure(_gates, $"{setting} on \"{prompt}\"", features, _set, problems);
        return new StudyDistributionRow(prompt, setting, report with
        {
            Reference = _name,
            Failures = report.Failures.Concat(problems.Select(p => p.Message)).ToList(),
        });
    }
}
