using HybridDiffusion.Analysis.Trajectories;
using HybridDiffusion.Contracts.Adherence;
using HybridDiffusion.Core.Output;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The engine call behind Measure-HybridStudy and `hybrid study merge`: reads the records of one study's results
/// folders (never generating), group by group, so memory is bounded by the largest prompt × setting group; writes the
/// summary (JSON, CSV), JUnit, timings, charts, contact sheets and an HTML report, and gates against a baseline (and,
/// when the study measures them, its FID/KID maximums and minimum prompt adherence).
/// </summary>
public static class StudyMerger
{
    /// <summary>Missing units named in messages; the rest are counted.</summary>
    private const int NamedUnitLimit = 20;

    /// <param name="engine">Embeds the reference set, when the study names one, and runs the CLIP models that judge adherence.</param>
    /// <param name="demoJudge">Opens the demo pair's adherence judge (the demo layer's, which the analysis layer does not know).</param>
    public static StudyMergeOutcome Merge(HybridEngine engine, StudyMergeRequest request, IStudyObserver? observer = null, CancellationToken cancellation = default,
        Func<IEngineLog, IAdherenceJudge>? demoJudge = null)
    {
        request.Validate();
        observer ??= new LogOnlyStudyObserver(Core.NullEngineLog.Instance);
        var baseline = request.Baseline is null ? null : StudySummaryFile.Read(request.Baseline);
        var results = StudyResults.Open(request.Directories);
        var study = results.Study;
        var reportFolder = OutputDestination.PrepareFolder(request.ReportDirectory, SettingId.Report, "the report folder");
        var pictures = new StudyPictures(reportFolder, study);
        var rows = new List<StudyRow>();
        var distributions = new List<StudyDistributionRow>();
        var reference = StudyReference.Open(engine, study.Measure, observer, cancellation);
        using var adherence = StudyAdherence.Open(engine, study.Measure, demoJudge, observer);
        var adherenceRows = new List<StudyAdherenceRow>();
        var missing = new List<string>();
        var duplicated = new List<string>();
        int missingCount = 0;
        var curves = new CurveAccumulator(study.Measure.Threshold);
        var timings = new StudyTimings();
        int referenceIndex = study.Settings.ToList().FindIndex(s => s.Name == study.Reference);
        long groups = (long)study.Prompts.Count * study.Settings.Count, groupsDone = 0;
        for (int p = 0; p < study.Prompts.Count; p++)
        {
            var promptRows = new List<(int Setting, StudyRow Row)>();
            for (int s = 0; s < study.Settings.Count; s++)
            {
                cancellation.ThrowIfCancellationRequested();
                var setting = study.Settings[s];
                var (records, absent, twice) = results.ReadGroup(p, s, observer.Warning, cancellation);
                missingCount += absent.Count;
                missing.AddRange(absent.Take(NamedUnitLimit - missing.Count).Select(seed => UnitName(study, p, s, seed)));
                duplicated.AddRange(twice.Select(seed => UnitName(study, p, s, seed)));
                var images = new Lazy<IReadOnlyList<RgbImage>>(() => StudyGroupMeasure.ReadImages(records));
                foreach (var (metric, count, statistics, low, high, vendi) in StudyGroupMeasure.Measure(study.Measure, records, images, cancellation))
                {
                    promptRows.Add((s, new StudyRow(study.Prompts[p], setting.Name, metric, count, statistics.Mean, statistics.StandardDeviation, low, high, vendi, null)));
                }
                if (reference?.Measure(study.Prompts[p], setting.Name, records) is { } distribution)
                {
                    distributions.Add(distribution);
                }
                if (adherence?.Measure(study.Prompts[p], setting.Name, records, images, cancellation) is { } judged)
                {
                    adherenceRows.Add(judged);
                }
                foreach (var record in records.Where(r => r.Trajectory is not null))
                {
                    curves.Add(setting.Name, record.Trajectory!.Select((point, i) => (i, point[0], point[1])).ToList());
                }
                timings.Add(setting.Name, records);
                if (records.Count > 0)
                {
                    pictures.ContactSheet(p, s, records, images);
                }
                observer.OnProgress(new StudyProgress("merged", ++groupsDone, groups, study.Prompts[p], setting.Name));
            }
            rows.AddRange(WithRatios(promptRows, referenceIndex));
        }
        if (missingCount > 0 && !request.AllowIncomplete)
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure,
                $"{missingCount} unit(s) of study {results.Hash[..12]} have no record in the folders given: {string.Join("; ", missing)}" +
                $"{(missingCount > missing.Count ? "; ..." : "")}. Run the shards that hold them again (a run makes only what is missing), " +
                "or merge what is there with the allow-incomplete switch.");
        }
        var (curveList, commitments) = curves.Result();
        var summary = new StudySummary
        {
            Study = study.Name,
            StudyHash = results.Hash,
            Reference = study.Reference,
            Prompts = study.Prompts.Count,
            SeedsPerPrompt = study.SeedCount,
            BootstrapResamples = study.Measure.BootstrapResamples,
            BootstrapSeed = study.Measure.BootstrapSeed,
            ConfidenceLevel = StudyGroupMeasure.ConfidenceLevel,
            Rows = rows,
            Settings = SettingRows(study, rows),
            Curves = curveList,
            Commitments = commitments,
            Distributions = distributions,
            Adherence = adherenceRows,
            SettingAdherence = SettingAdherence(study, adherenceRows),
        };
        var gate = baseline is null ? null : StudyBaselineGate.Compare(summary, baseline, request.MaxDrop);
        StudySummaryFile.Write(Path.Combine(reportFolder, StudySummaryFile.Name), summary);
        StudyCsv.Write(Path.Combine(reportFolder, StudyCsv.Name), summary);
        StudyJUnit.Write(Path.Combine(reportFolder, StudyJUnit.Name), summary, gate);
        timings.Write(Path.Combine(reportFolder, StudyTimings.Name));
        var charts = pictures.Charts(summary);
        var reportPath = StudyReportPage.Write(reportFolder, study, summary, gate, charts, pictures.Sheets, missingCount, duplicated);
        return new StudyMergeOutcome(summary, missing, duplicated, gate, reportFolder, reportPath) { MissingCount = missingCount };
    }

    private static IEnumerable<StudyRow> WithRatios(List<(int Setting, StudyRow Row)> promptRows, int referenceIndex)
    {
        var reference = promptRows.Where(r => r.Setting == referenceIndex).ToDictionary(r => r.Row.Metric, r => r.Row.Mean);
        return promptRows.Select(r => r.Setting != referenceIndex && reference.TryGetValue(r.Row.Metric, out double mean) && mean > 0
            ? r.Row with { Ratio = r.Row.Mean / mean }
            : r.Row);
    }

    private static List<StudySettingRow> SettingRows(StudyDefinition study, List<StudyRow> rows) =>
        study.Settings.SelectMany(setting => study.Measure.Metrics.Select(metric =>
        {
            var matching = rows.Where(r => r.Setting == setting.Name && r.Metric == metric).ToList();
            var ratios = matching.Where(r => r.Ratio is not null).Select(r => r.Ratio!.Value).ToList();
            return new StudySettingRow(setting.Name, setting.Family, setting.Mode, setting.Swept, metric, matching.Count,
                matching.Count == 0 ? 0 : matching.Average(r => r.Mean), matching.Count == 0 ? 0 : matching.Average(r => r.Vendi),
                ratios.Count == 0 ? null : ratios.Average());
        })).ToList();

    private static List<StudySettingAdherence> SettingAdherence(StudyDefinition study, List<StudyAdherenceRow> rows) =>
        rows.Count == 0 ? new List<StudySettingAdherence>() : study.Settings.Select(setting =>
        {
            var matching = rows.Where(r => r.Setting == setting.Name).ToList();
            return new StudySettingAdherence(setting.Name, rows[0].Adherence.Measure, matching.Count, matching.Count == 0 ? 0 : matching.Average(r => r.Adherence.Mean));
        }).ToList();

    private static string UnitName(StudyDefinition study, int prompt, int setting, long seed) =>
        $"'{study.Settings[setting].Name}' on \"{study.Prompts[prompt]}\" seed {seed}";
}
