using HybridDiffusion.Contracts.Adherence;

namespace HybridDiffusion.Analysis.Adherence;

/// <summary>A group of judged images as its report: mean score, spread and the gate's verdict, alike for the verb and a study.</summary>
internal static class AdherenceGroups
{
    /// <param name="group">How the report and its failure name the group (a prompt; in a study, a setting on a prompt).</param>
    public static AdherenceReport Report(string group, AdherenceMeasure measure, IReadOnlyList<ImageAdherence> images, double? minimumAdherence)
    {
        double mean = images.Average(i => i.Score);
        double spread = images.Count < 2 ? 0 : Math.Sqrt(images.Sum(i => (i.Score - mean) * (i.Score - mean)) / (images.Count - 1));
        var failures = minimumAdherence is double minimum && mean < minimum
            ? new[] { FormattableString.Invariant($"'{group}': mean adherence {mean:F4} is below the minimum {minimum}.") }
            : Array.Empty<string>();
        return new AdherenceReport
        {
            Group = group, Measure = measure, Count = images.Count, Mean = mean, StandardDeviation = spread,
            MinimumAdherence = minimumAdherence, Images = images, Failures = failures,
        };
    }
}
