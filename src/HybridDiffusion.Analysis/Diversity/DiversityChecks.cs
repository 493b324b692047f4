using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Core;
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
    }
}
