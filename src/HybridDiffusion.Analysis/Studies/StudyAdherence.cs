using HybridDiffusion.Analysis.Adherence;
using HybridDiffusion.Contracts.Adherence;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The study's adherence judge, opened once per merge, and each prompt × setting group's adherence: its images judged
/// against the study's prompt (not their metadata) by the adherence verb's judge and statistics, so a study and
/// `hybrid adherence` over the same images give the same figures.
/// </summary>
internal sealed class StudyAdherence : IDisposable
{
    private readonly IAdherenceJudge _judge;
    private readonly double? _minimum;

    private StudyAdherence(IAdherenceJudge judge, double? minimum)
    {
        _judge = judge;
        _minimum = minimum;
    }

    /// <summary>The judge <paramref name="measure"/> names; null when the study judges no adherence.</summary>
    /// <param name="demoJudge">Opens the demo pair's judge; null when the caller has none (a demo measure is then refused).</param>
    public static StudyAdherence? Open(HybridEngine engine, StudyMeasure measure, Func<IEngineLog, IAdherenceJudge>? demoJudge, IEngineLog log)
    {
        if (measure.Adherence is not { } request)
        {
            return null;
        }
        var openDemo = demoJudge ?? (_ => throw HybridDiffusionException.Argument(SettingId.Demo,
            "The study judges adherence with the demo pair's measure, and this merge was given no way to open the demo pair's judge."));
        return new StudyAdherence(AdherenceJudges.Open(engine, request, openDemo, log), request.MinimumAdherence);
    }

    /// <summary>The group's row; null when it has no unit.</summary>
    public StudyAdherenceRow? Measure(string prompt, string setting, IReadOnlyList<UnitRecord> records, Lazy<IReadOnlyList<RgbImage>> images,
        CancellationToken cancellation)
    {
        if (records.Count == 0)
        {
            return null;
        }
        var judgements = _judge.Judge(images.Value, Enumerable.Repeat(prompt, records.Count).ToList(), cancellation);
        var judged = records.Select((r, i) => new ImageAdherence(Path.GetFileName(r.Image), prompt, judgements[i].Score, judgements[i].Scene)).ToList();
        var report = AdherenceGroups.Report($"{setting} on \"{prompt}\"", _judge.Measure, judged, _minimum);
        // The summary keeps the group's figures, not every image's judgement.
        return new StudyAdherenceRow(prompt, setting, report with { Images = Array.Empty<ImageAdherence>() });
    }

    public void Dispose() => _judge.Dispose();
}
