namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// A reference set's feature statistics with what they were made by: FID against them is meaningful only for features
/// of the same embedding model, fed the same way.
/// </summary>
/// <param name="EmbeddingModelSha256">The SHA-256 of the embedding model file (hex).</param>
/// <param name="Preprocessing">How images were fed to it, in words (size, filter, crop, normalisation).</param>
/// <param name="Source">Where the reference images came from, in words (a folder, a list, the demo's scene distribution).</param>
public sealed record ReferenceStatistics(FeatureStatistics Statistics, string EmbeddingModelSha256, string Preprocessing, string Source)
{
    /// <summary>Refuses features made by another model or another preprocessing, naming both.</summary>
    /// <param name="path">The statistics file, for the message.</param>
    public void RequireSameEmbedding(string embeddingModelSha256, string preprocessing, string path)
    {
        bool sameModel = string.Equals(EmbeddingModelSha256, embeddingModelSha256, StringComparison.OrdinalIgnoreCase);
        if (sameModel && string.Equals(Preprocessing, preprocessing, StringComparison.Ordinal))
        {
            return;
        }
        string difference = sameModel
            ? $"preprocessing '{Preprocessing}', and this run uses '{preprocessing}'"
            : $"embedding model SHA-256 {Short(EmbeddingModelSha256)}…, and this run's model is {Short(embeddingModelSha256)}…";
        throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
            $"Reference statistics '{path}' were made with {difference}. Features of another model or preprocessing " +
            "are not comparable: embed with the settings the reference was made with, or make the reference again with this run's.", path);
    }

    private static string Short(string sha256) => sha256.Length > 12 ? sha256[..12].ToLowerInvariant() : sha256.ToLowerInvariant();
}
