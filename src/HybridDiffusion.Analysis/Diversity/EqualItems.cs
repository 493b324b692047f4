namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Groups items 0..n−1 that are equal: each is bucketed by its hash, then compared exactly with the first item of each
/// group in its bucket. Used for samples a distance matrix cannot tell apart and for images with equal pixels.
/// </summary>
internal static class EqualItems
{
    /// <returns>The first item of each group in order of appearance, and for every item the index of its group.</returns>
    public static (IReadOnlyList<int> Representatives, int[] GroupOf) Group(int count, Func<int, int> hash, Func<int, int, bool> equal)
    {
        var byHash = new Dictionary<int, List<int>>();
        var representatives = new List<int>();
        var groupOf = new int[count];
        for (int i = 0; i < count; i++)
        {
            int h = hash(i);
            if (!byHash.TryGetValue(h, out var groups))
            {
                byHash[h] = groups = new List<int>();
            }
            int found = groups.FindIndex(g => equal(representatives[g], i));
            if (found >= 0)
            {
                groupOf[i] = groups[found];
                continue;
            }
            groupOf[i] = representatives.Count;
            groups.Add(representatives.Count);
            representatives.Add(i);
        }
        return (representatives, groupOf);
    }
}
