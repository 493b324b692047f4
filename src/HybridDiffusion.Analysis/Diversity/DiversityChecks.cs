using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// The checks of a <see cref="DiversityRequest"/> that need the metrics and the embedding presets, after the request's
/// own; a face runs them before it reads any image.
/// </summary>
public static class DiversityChecks
{
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
