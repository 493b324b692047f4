using HybridDiffusion.Analysis.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// The principal directions of a base model's embeddings for one prompt (over its seeds), in order of the variance
/// along them, and how strongly another set (distilled, hybrid) varies along the same directions.
/// </summary>
/// <remarks>
/// A prompt's set is usually far smaller than the embedding (100 seeds, 512 to 2048 features), so the directions come
/// from the n × n Gram matrix of the centred embeddings when n ≤ d: its eigenvectors u with eigenvalues μ give the
/// covariance's directions Xᵀu/√μ with variances μ/(n − 1), an exact identity that keeps the decomposition n × n. The
/// decomposition is MathNet.Numerics' symmetric EVD because the directions are eigenvectors.
/// </remarks>
public sealed class VariationDirections
{
    private VariationDirections(double[] mean, IReadOnlyList<double[]> directions, IReadOnlyList<double> variances, double totalVariance, int count)
    {
        Mean = mean;
        Directions = directions;
        Variances = variances;
        TotalVariance = totalVariance;
        Count = count;
    }

    /// <summary>The base set's mean embedding.</summary>
    public double[] Mean { get; }

    /// <summary>Unit directions with non-zero variance, largest variance first (at most count − 1 of them).</summary>
    public IReadOnlyList<double[]> Directions { get; }

    /// <summary>The base set's variance along each direction (the spectrum of its covariance), descending.</summary>
    public IReadOnlyList<double> Variances { get; }

    /// <summary>The base set's total variance, the trace of its covariance.</summary>
    public double TotalVariance { get; }

    /// <summary>How many embeddings the directions were taken from.</summary>
    public int Count { get; }

    /// <summary>The principal directions of <paramref name="baseEmbeddings"/> (at least two, of equal length).</summary>
    public static VariationDirections Of(IReadOnlyList<float[]> baseEmbeddings)
    {
        var (centred, mean, n, d) = Centre(baseEmbeddings, "base", -1);
        double total = TensorPrimitives.Dot<double>(centred, centred) / (n - 1);
        bool viaGram = n <= d;
        int size = viaGram ? n : d;
        double[] symmetric;
        if (viaGram)
        {
            symmetric = RowProducts.Multiply(centred, n, centred, n, d);
        }
        else
        {
            symmetric = new double[(long)d * d];
            RowProducts.AddSymmetric(Transpose(centred, n, d), d, n, n, symmetric);
        }
        var evd = Matrix<double>.Build.Dense(size, size, symmetric).Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(v => v.Real).ToArray();
        // Column-major storage of the eigenvector matrix: eigenvector i is the i-th run of `size` values.
        var vectors = evd.EigenVectors.ToColumnMajorArray();
        // Zero eigenvalues come back as rounding-sized values of either sign; those carry no direction.
        double rounding = values.Max() * size * SymmetricSpectrum.UnitRoundoff;
        var directions = new List<double[]>();
        var variances = new List<double>();
        foreach (int i in Enumerable.Range(0, size).Where(i => values[i] > rounding).OrderByDescending(i => values[i]))
        {
            var vector = vectors.AsSpan(i * size, size);
            directions.Add(viaGram ? GramDirection(centred, n, d, vector, values[i]) : vector.ToArray());
            variances.Add(values[i] / (n - 1));
        }
        return new VariationDirections(mean, directions, variances, total, n);
    }

    /// <summary>
    /// The variance of <paramref name="embeddings"/> (about its own mean) along the top <paramref name="topK"/>
    /// directions (all of them when fewer exist), beside the base's.
    /// </summary>
    public DirectionActivation Activation(IReadOnlyList<float[]> embeddings, int topK)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        var (centred, _, n, d) = Centre(embeddings, "compared", Mean.Length);
        int k = Math.Min(topK, Directions.Count);
        double total = TensorPrimitives.Dot<double>(centred, centred) / (n - 1);
        var variances = new double[k];
        var projection = new double[n];
        for (int i = 0; i < k; i++)
        {
            for (int r = 0; r < n; r++)
            {
                projection[r] = TensorPrimitives.Dot<double>(centred.AsSpan(r * d, d), Directions[i]);
            }
            variances[i] = TensorPrimitives.Dot<double>(projection, projection) / (n - 1);
        }
        var baseVariances = Variances.Take(k).ToArray();
        return new DirectionActivation(k, baseVariances, variances,
            variances.Select((v, i) => v / baseVariances[i]).ToArray(),
            baseVariances.Sum() / TotalVariance,
            total > 0 ? variances.Sum() / total : 0,
            total);
    }

    // Xᵀu/√μ, normalised again to wash out rounding.
    private static double[] GramDirection(double[] centred, int n, int d, ReadOnlySpan<double> u, double eigenvalue)
    {
        var direction = new double[d];
        for (int r = 0; r < n; r++)
        {
            TensorPrimitives.MultiplyAdd<double>(centred.AsSpan(r * d, d), u[r], direction, direction);
        }
        double norm = TensorPrimitives.Norm<double>(direction);
        TensorPrimitives.Divide<double>(direction, norm > 0 ? norm : Math.Sqrt(eigenvalue), direction);
        return direction;
    }

    private static double[] Transpose(double[] rows, int n, int d)
    {
        var transposed = new double[rows.Length];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < d; j++)
            {
                transposed[(long)j * n + r] = rows[(long)r * d + j];
            }
        }
        return transposed;
    }

    // The set as row-major doubles about its mean, with the mean.
    private static (double[] Centred, double[] Mean, int Count, int Dimension) Centre(IReadOnlyList<float[]> set, string what, int dimension)
    {
        int n = set.Count, d = FeatureSets.Dimension(set, what, "Variation directions", dimension);
        var rows = new double[(long)n * d];
        var mean = new double[d];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < d; j++)
            {
                rows[(long)r * d + j] = set[r][j];
                mean[j] += set[r][j];
            }
        }
        TensorPrimitives.Divide<double>(mean, n, mean);
        for (int r = 0; r < n; r++)
        {
            var row = rows.AsSpan(r * d, d);
            TensorPrimitives.Subtract<double>(row, mean, row);
        }
        return (rows, mean, n, d);
    }
}
