namespace HybridDiffusion.Contracts.Diversity;

/// <summary>
/// The one spelling of each <see cref="DiversityMetric"/> ("rms", "ssim", "ms-ssim", "embedding"): what --metric,
/// -Metric's strings and a study's "metrics" accept (in any case, the dash optional), and what messages list.
/// </summary>
public static class DiversityMetrics
{
    /// <summary>Every metric's name, in <see cref="DiversityMetric"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<DiversityMetric>().Select(Name).ToArray();

    /// <summary>A metric as users type it: "rms", "ssim", "ms-ssim", "embedding".</summary>
    public static string Name(DiversityMetric metric) => metric == DiversityMetric.MsSsim ? "ms-ssim" : metric.ToString().ToLowerInvariant();

    /// <summary>The metric a name stands for, ignoring case, surrounding spaces and dashes ("MS-SSIM", "msssim").</summary>
    public static bool TryParse(string name, out DiversityMetric metric)
    {
        var key = name.Trim().Replace("-", "");
        foreach (var candidate in Enum.GetValues<DiversityMetric>())
        {
            if (string.Equals(Name(candidate).Replace("-", ""), key, StringComparison.OrdinalIgnoreCase))
            {
                metric = candidate;
                return true;
            }
        }
        metric = default;
        return false;
    }

    /// <summary>The names for messages and help: "rms, ssim, ms-ssim or embedding".</summary>
    public static string Alternatives => $"{string.Join(", ", Names.Take(Names.Count - 1))} or {Names[^1]}";
}
