using HybridDiffusion.Analysis.Diversity.Distribution;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// One group's distribution against the reference set: FID from the moments of the group's features, KID from the
/// features themselves when the reference kept its own, and the request's gates on both.
/// </summary>
internal static class DistributionComparison
{
    /// <param name="features">The group's feature vectors (the embedding model's own, not normalised).</param>
    /// <param name="problems">Hears why FID could not be computed (too few images of this group or of the reference), naming the group.</param>
    public static DistributionReport Measure(DiversityRequest request, string group, IReadOnlyList<float[]> features, ReferenceSet reference,
        List<HybridDiffusionException> problems)
    {
        int d = features[0].Length;
        var moments = new FeatureMoments(d);
        foreach (var vector in features)
        {
            moments.Add(vector);
        }
        double? fid = null;
        try
        {
            fid = FrechetDistance.Between(moments.ToStatistics("generated"), reference.Statistics);
        }
        catch (HybridDiffusionException ex) when (ex.Kind == HybridErrorKind.InvalidArgument)
        {
            // A problem of this group's images (or the reference's), not of a setting: the others are still compared.
            problems.Add(new HybridDiffusionException(ex.Kind, $"Group '{group}': {ex.Message}", group));
        }
        var kid = reference.Features is { } referenceFeatures ? KernelDistance.Between(features, referenceFeatures) : null;
        var failures = new List<string>();
        if (request.MaximumFid is double maximumFid && fid > maximumFid)
        {
            failures.Add($"Group '{group}': FID {Format(fid.Value)} is above the maximum {Format(maximumFid)}.");
        }
        if (request.MaximumKid is double maximumKid && kid?.Mean > maximumKid)
        {
            failures.Add($"Group '{group}': KID {Format(kid.Mean)} ± {Format(kid.StandardDeviation)} is above the maximum {Format(maximumKid)}.");
        }
        return new DistributionReport
        {
            Group = group,
            Count = features.Count,
            Reference = reference.Source,
            ReferenceCount = reference.Statistics.Count,
            Dimension = d,
            Fid = fid,
            Kid = kid?.Mean,
            KidStandardDeviation = kid?.StandardDeviation,
            KidSubsets = kid?.Parts ?? 0,
            KidSubsetSize = kid?.PartSize ?? 0,
            MaximumFid = request.MaximumFid,
            MaximumKid = request.MaximumKid,
            Failures = failures,
        };
    }

    private static string Format(double value) => value.ToString("G5", CultureInfo.InvariantCulture);
}
