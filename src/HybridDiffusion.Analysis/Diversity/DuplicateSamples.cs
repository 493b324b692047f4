namespace HybridDiffusion.Analysis.Diversity;

/// <summary>One sample standing for itself and its exact duplicates.</summary>
/// <param name="Representative">The index of the first of them in the distance matrix.</param>
/// <param name="Copies">How many samples it stands for (at least 1).</param>
internal readonly record struct DistinctSample(int Representative, int Copies);

/// <summary>
/// Finds samples that a distance matrix cannot tell apart: rows that are equal element for element (which includes
/// distance 0 between the two). A collapsed model's set is mostly such copies; merging them is exact for any statistic
/// of the matrix that depends only on its rows.
/// </summary>
internal static class DuplicateSamples
{
    /// <summary>The distinct samples in order of first appearance, each with its number of copies. O(n²) time, O(n) memory.</summary>
    public static IReadOnlyList<DistinctSample> Of(DistanceMatrix distances)
    {
        var (representatives, groupOf) = EqualItems.Group(distances.Count, i => Hash(distances.Row(i)),
            (r, i) => distances[r, i] == 0 && distances.Row(i).SequenceEqual(distances.Row(r)));
        var copies = new int[representatives.Count];
        foreach (int group in groupOf)
        {
            copies[group]++;
        }
        return representatives.Select((r, k) => new DistinctSample(r, copies[k])).ToList();
    }

    // Duplicate rows are equal element for element (each holds the 0 of the other's position), so hashing the whole
    // row buckets them together; equality is then checked exactly.
    private static int Hash(ReadOnlySpan<double> row)
    {
        var hash = new HashCode();
        foreach (var value in row)
        {
            hash.Add(value);
        }
        return hash.ToHashCode();
    }
}
