namespace HybridDiffusion.Contracts.Diversity;

/// <summary>A symmetric matrix of pairwise distances with a zero diagonal.</summary>
public sealed class DistanceMatrix
{
    private readonly double[] _values;

    public DistanceMatrix(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _values = new double[count * count];
    }

    public int Count { get; }

    public double this[int i, int j] => _values[i * Count + j];

    public ReadOnlySpan<double> Row(int i) => _values.AsSpan(i * Count, Count);

    /// <summary>Number of unordered pairs, n(n−1)/2.</summary>
    public long PairCount => (long)Count * (Count - 1) / 2;

    /// <summary>
    /// Sets d(i, j) = d(j, i). Safe to call from several threads for different pairs. Public for the analysis layer,
    /// which fills a matrix while it measures pairs.
    /// </summary>
    public void Set(int i, int j, double distance)
    {
        if (i == j)
        {
            throw new ArgumentException("The diagonal of a distance matrix is always 0.");
        }
        _values[i * Count + j] = distance;
        _values[j * Count + i] = distance;
    }

    /// <summary>A copy as a two-dimensional array (what PowerShell users index with $m[$i, $j]).</summary>
    public double[,] ToArray()
    {
        var array = new double[Count, Count];
        for (int i = 0; i < Count; i++)
        {
            for (int j = 0; j < Count; j++)
            {
                array[i, j] = this[i, j];
            }
        }
        return array;
    }

    /// <summary>The upper triangle in row order: every unordered pair once.</summary>
    public IEnumerable<(int I, int J, double Distance)> Pairs()
    {
        for (int i = 0; i < Count; i++)
        {
            for (int j = i + 1; j < Count; j++)
            {
                yield return (i, j, this[i, j]);
            }
        }
    }
}
