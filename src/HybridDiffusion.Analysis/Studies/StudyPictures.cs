using HybridDiffusion.Analysis.Pictures;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The report's pictures: a contact sheet per prompt × setting (its first seeds), a chart per sweep and metric (mean
/// over prompts against the swept value, the paper's Figure 7) and the commitment chart over all prompts (Figure 5).
/// Names are relative to the report folder, so the HTML page links them wherever the folder is moved.
/// </summary>
internal sealed class StudyPictures(string reportFolder, StudyDefinition study)
{
    /// <summary>Seeds a contact sheet shows: enough to see a mode's range, few enough to stay readable.</summary>
    public const int SheetSeeds = 16;

    private readonly Dictionary<(int Prompt, int Setting), string> _sheets = new();

    public IReadOnlyDictionary<(int Prompt, int Setting), string> Sheets => _sheets;

    public void ContactSheet(int prompt, int setting, IReadOnlyList<UnitRecord> records, Lazy<IReadOnlyList<RgbImage>> images)
    {
        var shown = images.IsValueCreated
            ? images.Value.Take(SheetSeeds).ToList()
            : StudyGroupMeasure.ReadImages(records.Take(SheetSeeds).ToList());
        var name = $"sheets/{Path.GetFileName(StudyLayout.GroupFolder(study, prompt, setting))}.png";
        var sheet = Pictures.ContactSheet.Render($"{study.Settings[setting].Name}: {study.Prompts[prompt]}",
            shown.Select((image, i) => (image, "seed " + records[i].Seed)).ToList());
        AtomicFile.WriteAllBytes(Path.Combine(reportFolder, name), PngEncoder.Encode(sheet, Array.Empty<KeyValuePair<string, string>>()));
        _sheets[(prompt, setting)] = name;
    }

    /// <summary>Writes the sweep charts and the commitment chart; returns (title, file) for each.</summary>
    public IReadOnlyList<(string Title, string File)> Charts(StudySummary summary)
    {
        var charts = new List<(string, string)>();
        var reference = summary.Settings.Where(r => r.Setting == summary.Reference).ToDictionary(r => r.Metric);
        foreach (var family in summary.Settings.Where(r => r.Swept.Count > 0).GroupBy(r => r.Family))
        {
            foreach (var key in family.SelectMany(r => r.Swept.Select(s => s.Key)).Distinct())
            {
                foreach (var metric in family.GroupBy(r => r.Metric))
                {
                    // One line per combination of the family's other swept values.
                    var series = metric.GroupBy(r => string.Join(" ", r.Swept.Where(s => s.Key != key).Select(s => $"{s.Key}={StudyFile.Format(s.Value)}")))
                        .Select(g => (Label: g.Key.Length == 0 ? family.Key : g.Key,
                            Points: (IReadOnlyList<(double, double)>)g.Select(r => (r.Swept.First(s => s.Key == key).Value, r.MeanDistance)).ToList()))
                        .ToList();
                    var title = $"{family.Key}: {metric.Key} diversity against {key}";
                    var file = $"charts/sweep-{OutputNaming.Slug(family.Key)}-{OutputNaming.Slug(key)}-{metric.Key.ToString().ToLowerInvariant()}.svg";
                    var svg = SweepChart.Svg(title, key, $"mean pairwise {metric.Key} distance", series,
                        reference.TryGetValue(metric.Key, out var r) ? ($"{summary.Reference} (reference)", r.MeanDistance) : null);
                    Write(file, svg);
                    charts.Add((title, file));
                }
            }
        }
        if (summary.Curves.Count > 0)
        {
            var title = $"x̂0 distance to the final image over {summary.Prompts} prompts";
            Write("charts/commitment.svg", CommitmentChart.Svg(title, summary.Curves, study.Measure.Threshold));
            charts.Add((title, "charts/commitment.svg"));
        }
        return charts;
    }

    private void Write(string relative, string text) => AtomicFile.WriteAllBytes(Path.Combine(reportFolder, relative), Encoding.UTF8.GetBytes(text));
}
