namespace HybridDiffusion.Analysis.Diversity;

/// <summary>1 − cosine similarity of image embeddings (the DreamSim distance when the model is a DreamSim export).</summary>
internal sealed class EmbeddingDistance : IDistanceMetric
{
    private readonly ImageEmbedder _embedder;

    public EmbeddingDistance(ImageEmbedder embedder) => _embedder = embedder;

    public DiversityMetric Metric => DiversityMetric.Embedding;

    /// <summary>1 − cosine of two unit-length embeddings (the dot product, with rounding just past ±1 clamped).</summary>
    public static double Between(float[] a, float[] b) => 1 - Math.Clamp(TensorPrimitives.Dot<float>(a, b), -1f, 1f);

    public MeasuredDistances Compute(IReadOnlyList<UnitImage> images, IProgress<double>? progress, CancellationToken cancellation) =>
        Between(_embedder.Embed(images, progress, cancellation), cancellation);

    /// <summary>Every pairwise distance of unit embeddings already computed (a study's recorded vectors, for one).</summary>
    public static MeasuredDistances Between(IReadOnlyList<float[]> embeddings, CancellationToken cancellation) => new(
        PairScheduler.Run<object?>(embeddings.Count, () => null, (i, j, _) => Between(embeddings[i], embeddings[j]), null, cancellation), embeddings);
}
