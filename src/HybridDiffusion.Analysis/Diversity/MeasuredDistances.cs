namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// What a metric measured over a group: the pairwise distances, and for embedding metrics the unit embeddings
/// themselves, from which the Vendi score is computed on the smaller d × d side.
/// </summary>
internal sealed record MeasuredDistances(DistanceMatrix Matrix, IReadOnlyList<float[]>? UnitEmbeddings = null)
{
    public double VendiScore() => UnitEmbeddings is { } embeddings
        ? Diversity.VendiScore.FromUnitEmbeddings(embeddings)
        : Diversity.VendiScore.FromDistances(Matrix);
}
