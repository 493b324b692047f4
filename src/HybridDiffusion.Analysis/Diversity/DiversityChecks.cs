using HybridDiffusion.Core.Output;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// The checks of a <see cref="DiversityRequest"/> that need the metrics and the embedding presets, after the request's
/// own, and the check of where its pictures go: all a measurement can refuse before it reads an image.
/// </summary>
public static class DiversityChecks
{
    /// <summary>
    /// <see cref="Validate"/>, then the pictures folder checked and swept of stale temporary files, so a bad setting or
    /// place fails before any image is read.
    /// </summary>
    /// <param name="log">Hears what the sweep removed.</param>
    public static void BeforeReading(DiversityRequest request, IEngineLog? log = null)
    {
        Validate(request);
        if (request.PictureDirectory is not null)
        {
            OutputDestination.PrepareFolder(request.PictureDirectory, SettingId.PictureDirectory, "the pictures folder", log);
        }
        if (request.SaveReference is not null)
        {
            OutputDestination.PrepareFile(request.SaveReference, SettingId.SaveReference, "the reference statistics file", log);
        }
    }

    public static void Validate(DiversityRequest request)
    {
        request.Validate();
        if (request.Metrics.Contains(DiversityMetric.MsSsim) && request.Size < StructuralSimilarity.MinimumMsSsimSize)
        {
            throw HybridDiffusionException.Argument(SettingId.Size,
                $"The comparison size must be between {StructuralSimilarity.MinimumMsSsimSize} and {DiversityRequest.MaxSize} pixels for MS-SSIM; got {request.Size}.");
        }
        if (request.Embedding is { } embedding)
        {
            EmbeddingPreprocessing.For(embedding);
        }
        if (request.Inception is { } inception)
        {
            EmbeddingPreprocessing.For(inception);
        }
        if (request.ReferencePath is string reference && ReferenceSet.IsStatisticsFile(reference))
        {
            // Saved statistics keep the mean and covariance only: KID needs the reference's features themselves.
            if (request.MaximumKid is not null)
            {
                throw HybridDiffusionException.Argument(SettingId.MaximumKid,
                    $"KID needs the reference images' features, which reference statistics ('{reference}') do not keep: " +
                    "name the reference images instead, or gate on FID only.");
            }
            if (request.SaveReference is not null)
            {
                throw HybridDiffusionException.Argument(SettingId.SaveReference,
                    $"The reference '{reference}' is already saved statistics: saving needs the reference images.");
            }
        }
    }
}
