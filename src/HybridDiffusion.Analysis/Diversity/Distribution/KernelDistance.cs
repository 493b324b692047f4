namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// KID, the kernel inception distance (Bińkowski et al. 2018): the unbiased estimate of the squared maximum mean
/// discrepancy between two feature sets with the cubic polynomial kernel k(x, y) = (xᵀy/d + 1)³, averaged over random
/// subsets of both sets. Unlike FID it is unbiased, needs no covariance, and works with fewer images than features.
/// </summary>
public static class KernelDistance
{
    /// <summary>The customary number of subsets (torch-fidelity's and clean-fid's default).</summary>
    public const int DefaultSubsets = 100;

    /// <summary>The customary subset size; smaller sets use their whole size.</summary>
    public const int DefaultSubsetSize = 1000;

    /// <summary>
    /// MMD² over <paramref name="subsets"/> pairs of subsets, each of min(<paramref name="subsetSize"/>, both counts)
    /// vectors drawn without replacement by a generator seeded with <paramref name="seed"/>, so a run repeats exactly.
    /// </summary>
    public static RepeatedEstimate Between(IReadOnlyList<float[]> generated, IReadOnlyList<float[]> reference,
        int subsets = DefaultSubsets, int subsetSize = DefaultSubsetSize, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subsets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(subsetSize, 2);
        int d = FeatureSets.Dimension(generated, "generated", "KID");
        FeatureSets.Dimension(reference, "reference", "KID", d);
        int m = Math.Min(subsetSize, Math.Min(generated.Count, reference.Count));
        var random = new Random(seed);
        var values = new double[subsets];
        for (int s = 0; s < subsets; s++)
        {
            var x = Gather(generated, Draw(random, generated.Count, m), d);
            var y = Gather(reference, Draw(random, reference.Count, m), d);
            values[s] = SquaredDiscrepancy(x, y, m, d);
        }
        return RepeatedEstimate.Of(values, m);
    }

    /// <summary>The unbiased MMD² of two equal-sized row-major sets (m × d): the kernel's diagonals are left out of the within-set means.</summary>
    internal static double SquaredDiscrepancy(double[] x, double[] y, int m, int d)
    {
        double withinX = KernelSum(Gram(x, m, d), d, skipDiagonal: m);
        double withinY = KernelSum(Gram(y, m, d), d, skipDiagonal: m);
        double across = KernelSum(RowProducts.Multiply(x, m, y, m, d), d, skipDiagonal: 0);
        return (withinX + withinY) / ((double)m * (m - 1)) - 2 * across / ((double)m * m);
    }

    // X·Xᵀ, each pair's product taken once.
    private static double[] Gram(double[] x, int m, int d)
    {
        var gram = new double[(long)m * m];
        RowProducts.AddSymmetric(x, m, d, d, gram);
        return gram;
    }

    // Σ (g/d + 1)³ over the inner products g, leaving out the diagonal of a square m × m matrix when asked.
    private static double KernelSum(double[] products, int d, int skipDiagonal)
    {
        double sum = 0;
        for (long i = 0; i < products.Length; i++)
        {
            double k = products[i] / d + 1;
            sum += k * k * k;
        }
        for (int i = 0; i < skipDiagonal; i++)
        {
            double k = products[(long)i * skipDiagonal + i] / d + 1;
            sum -= k * k * k;
        }
        return sum;
    }

    // m distinct indices of n: the first m places of a partial Fisher–Yates shuffle.
    private static int[] Draw(Random random, int n, int m)
    {
        var indices = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < m; i++)
        {
            int j = random.Next(i, n);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
        return indices[..m];
    }

    private static double[] Gather(IReadOnlyList<float[]> set, int[] indices, int d)
    {
        var rows = new double[(long)indices.Length * d];
        for (int r = 0; r < indices.Length; r++)
        {
            var source = set[indices[r]];
            for (int j = 0; j < d; j++)
            {
                rows[(long)r * d + j] = source[j];
            }
        }
        return rows;
    }
}
