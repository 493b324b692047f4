using System.Numerics.Tensors;
using HybridDiffusion.Imaging;

namespace HybridDiffusion.Diversity;

/// <summary>1 − cosine similarity of image embeddings (the DreamSim distance when the model is a DreamSim export).</summary>
public sealed class EmbeddingDistance : IDistanceMetric
{
    private readonly ImageEmbedder _embedder;

    public EmbeddingDistance(ImageEmbedder embedder) => _embedder = embedder;

    public DiversityMetric Metric => DiversityMetric.Embedding;

    public DistanceMatrix Compute(IReadOnlyList<UnitImage> images, IProgress<double>? progress, CancellationToken cancellation)
    {
        var embeddings = _embedder.Embed(images, progress, cancellation);
        // Embeddings are unit length, so the dot product is the cosine; clamp rounding just past ±1.
        return PairScheduler.Run<object?>(images.Count, () => null,
            (i, j, _) => 1 - Math.Clamp(TensorPrimitives.Dot<float>(embeddings[i], embeddings[j]), -1f, 1f), null, cancellation);
    }
}
