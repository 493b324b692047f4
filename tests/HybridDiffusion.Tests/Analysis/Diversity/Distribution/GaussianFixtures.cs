using MathNet.Numerics.LinearAlgebra;

namespace HybridDiffusion.Tests.Analysis.Diversity.Distribution;

/// <summary>Seeded Gaussian samples, rotations and covariances for the distribution-metric tests.</summary>
internal static class GaussianFixtures
{
    /// <summary>A standard normal draw (Box–Muller) from a seeded generator.</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>n vectors of d independent N(offset, scale²) values.</summary>
    public static List<float[]> Sample(int n, int d, int seed, double offset = 0, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (float)(offset + scale * Normal(random))).ToArray()).ToList();
    }

    /// <summary>A random orthogonal d × d matrix (QR of a Gaussian one).</summary>
    public static Matrix<double> Rotation(int d, int seed)
    {
        var random = new Random(seed);
        return Matrix<double>.Build.Dense(d, d, (_, _) => Normal(random)).QR().Q;
    }

    /// <summary>Q·diag(values)·Qᵀ as a row-major array.</summary>
    public static double[] WithSpectrum(Matrix<double> rotation, IReadOnlyList<double> values) =>
        (rotation * Matrix<double>.Build.DenseOfDiagonalArray(values.ToArray()) * rotation.Transpose()).ToRowMajorArray();

    /// <summary>A random symmetric positive definite d × d matrix, row-major.</summary>
    public static double[] PositiveDefinite(int d, int seed)
    {
        var random = new Random(seed);
        var a = Matrix<double>.Build.Dense(d, d, (_, _) => Normal(random));
        return (a * a.Transpose() / d + Matrix<double>.Build.DenseIdentity(d) * 0.1).ToRowMajorArray();
    }

    /// <summary>The mean and unbiased covariance of a set by the textbook two-pass formula, in double.</summary>
    public static (double[] Mean, double[] Covariance) TwoPass(IReadOnlyList<float[]> set)
    {
        int n = set.Count, d = set[0].Length;
        var mean = new double[d];
        foreach (var v in set)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += v[j] / (double)n;
            }
        }
        var covariance = new double[d * d];
        foreach (var v in set)
        {
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    covariance[i * d + j] += (v[i] - mean[i]) * (v[j] - mean[j]) / (n - 1);
                }
            }
        }
        return (mean, covariance);
    }
}
