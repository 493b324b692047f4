using HybridDiffusion.Analysis.Diversity.Distribution;
using HybridDiffusion.Analysis.Pictures;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Variation directions per prompt: each group's images of a prompt form a set; the set whose images are all of Mode
/// Base gives the principal directions, and every other set of the prompt is measured along the top k of them. A
/// prompt that cannot be compared (no base set, too few images for k directions) is a problem naming it; the others
/// are still compared.
/// </summary>
internal static class DirectionsComparison
{
    private const string PromptKey = "Prompt", ModeKey = "Mode", BaseMode = "Base";

    /// <param name="sets">Each measured group's samples beside their embedding features (the model's own vectors), in group order.</param>
    /// <param name="pictureStem">Gives a unique file stem for a prompt's chart, shared with the other pictures' names.</param>
    public static List<DirectionsReport> Measure(int topK, IReadOnlyList<(string Group, IReadOnlyList<DiversitySample> Samples, float[][] Features)> sets,
        string? pictureDirectory, Func<string, string> pictureStem, IDiversityObserver observer, List<HybridDiffusionException> problems)
    {
        var reports = new List<DirectionsReport>();
        string missing = $"(no {PromptKey})";
        var prompts = sets.SelectMany(s => s.Samples.Select(x => x.GroupKey(PromptKey) ?? missing)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var prompt in prompts)
        {
            var promptSets = sets.Select(s => (s.Group, Members: s.Samples.Select((x, i) => (Sample: x, Features: s.Features[i]))
                    .Where(m => (m.Sample.GroupKey(PromptKey) ?? missing) == prompt).ToList()))
                .Where(s => s.Members.Count > 0).ToList();
            var bases = promptSets.Where(s => s.Members.All(m => string.Equals(m.Sample.GroupKey(ModeKey), BaseMode, StringComparison.OrdinalIgnoreCase))).ToList();
            if (bases.Count != 1)
            {
                problems.Add(Problem(prompt, bases.Count == 0
                    ? $"no group holds only images of Mode {BaseMode}, so there is no base set to take the variation directions from; " +
                      $"group the images by Mode (its groups now: {string.Join(", ", promptSets.Select(s => $"'{s.Group}'"))}) and include base-model images."
                    : $"the groups {string.Join(", ", bases.Select(s => $"'{s.Group}'"))} all hold only images of Mode {BaseMode}; group the images by Mode so there is one base set."));
                continue;
            }
            var baseSet = bases[0];
            var others = promptSets.Where(s => s.Group != baseSet.Group).ToList();
            if (others.Count == 0)
            {
                observer.Warning($"Prompt '{prompt}': only the base set '{baseSet.Group}' has images, so no set is compared along its variation directions.");
                continue;
            }
            VariationDirections directions;
            try
            {
                directions = VariationDirections.Of(baseSet.Members.Select(m => m.Features).ToList());
            }
            catch (HybridDiffusionException ex) when (ex.Kind == HybridErrorKind.InvalidArgument)
            {
                problems.Add(Problem(prompt, ex.Message));
                continue;
            }
            if (directions.Directions.Count < topK)
            {
                problems.Add(Problem(prompt,
                    $"the base set '{baseSet.Group}' has {directions.Count} images, whose embeddings vary along {directions.Directions.Count} directions " +
                    $"(at most one fewer than the images); {topK} were asked for: ask for at most {directions.Directions.Count}, or generate more seeds."));
                continue;
            }
            var baseShares = directions.Variances.Take(topK).Select(v => v / directions.TotalVariance).ToList();
            var promptReports = new List<DirectionsReport>();
            foreach (var other in others)
            {
                try
                {
                    var activation = directions.Activation(other.Members.Select(m => m.Features).ToList(), topK);
                    promptReports.Add(new DirectionsReport
                    {
                        Prompt = prompt,
                        Group = other.Group,
                        Count = other.Members.Count,
                        BaseGroup = baseSet.Group,
                        BaseCount = directions.Count,
                        Directions = activation.Directions,
                        BaseShares = baseShares,
                        BaseVariances = activation.BaseVariances,
                        Variances = activation.Variances,
                        RelativeVariances = activation.RelativeVariances,
                        BaseFraction = activation.BaseFraction,
                        Fraction = activation.Fraction,
                        TotalVarianceRatio = activation.TotalVariance / directions.TotalVariance,
                    });
                }
                catch (HybridDiffusionException ex) when (ex.Kind == HybridErrorKind.InvalidArgument)
                {
                    problems.Add(Problem(prompt, $"group '{other.Group}': {ex.Message}"));
                }
            }
            if (promptReports.Count == 0)
            {
                continue;
            }
            var chart = WriteChart(pictureDirectory, pictureStem, prompt, baseSet.Group, baseShares, promptReports, directions.TotalVariance, observer);
            reports.AddRange(promptReports.Select(r => r with { ChartPath = chart }));
        }
        return reports;
    }

    private static string? WriteChart(string? pictureDirectory, Func<string, string> pictureStem, string prompt, string baseGroup, IReadOnlyList<double> baseShares,
        IReadOnlyList<DirectionsReport> reports, double baseTotal, IDiversityObserver observer)
    {
        if (pictureDirectory is null)
        {
            return null;
        }
        var path = Path.GetFullPath(Path.Combine(pictureDirectory, pictureStem(prompt) + "-directions.svg"));
        if (!observer.ShouldWriteFile(path))
        {
            return null;
        }
        // Every set's variance as a share of the base's total, so the base's bars are its spectrum.
        var sets = reports.Select(r => (r.Group, (IReadOnlyList<double>)r.Variances.Select(v => v / baseTotal).ToList())).Prepend((baseGroup, baseShares)).ToList();
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(DirectionsChart.Svg($"{prompt}: variation along the base's top {baseShares.Count} directions", sets)));
        return path;
    }

    private static HybridDiffusionException Problem(string prompt, string message) =>
        new(HybridErrorKind.InvalidArgument, $"Prompt '{prompt}', variation directions: {message}", prompt);
}
