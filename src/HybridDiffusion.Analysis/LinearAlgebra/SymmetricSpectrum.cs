namespace HybridDiffusion.Analysis.LinearAlgebra;

/// <summary>
/// The eigenvalues, and only the eigenvalues, of a real symmetric matrix: Householder reduction to tridiagonal form
/// (as LAPACK's dsytd2), then bisection on Sturm sequence counts (as LAPACK's dstebz).
/// </summary>
/// <remarks>
/// Why not MathNet.Numerics' Evd, which the tests use as the reference: it always accumulates the eigenvectors, about
/// seven times the arithmetic of the reduction alone, and the Vendi score needs none of them; on a 5,000-image group
/// that is the difference between seconds and many minutes (see `hybrid bench diversity`). Bisection cannot fail to
/// converge: each eigenvalue is the limit of an interval halved until it is as narrow as rounding allows, however
/// degenerate the spectrum (the QL iteration this replaces gave up on rank-one matrices).
/// </remarks>
internal static class SymmetricSpectrum
{
    /// <summary>The n eigenvalues in ascending order. <paramref name="matrix"/> (row-major n × n, symmetric) is overwritten.</summary>
    public static double[] Eigenvalues(double[] matrix, int n)
    {
        if (matrix.Length != (long)n * n)
        {
            throw new ArgumentException($"A {n} × {n} matrix has {(long)n * n} elements; got {matrix.Length}.", nameof(matrix));
        }
        var (diagonal, offDiagonal) = Tridiagonalize(matrix, n);
        return TridiagonalEigenvalues(diagonal, offDiagonal);
    }

    /// <summary>
    /// Reflections H = I − τvvᵀ zero column k below its first sub-diagonal element, applied to both sides of the
    /// trailing block B as B − vwᵀ − wvᵀ with p = τBv and w = p − (τ/2)(pᵀv)v. Rows are contiguous, so both the
    /// products and the rank-2 update run as SIMD spans, in parallel over rows.
    /// </summary>
    private static (double[] Diagonal, double[] OffDiagonal) Tridiagonalize(double[] a, int n)
    {
        var diagonal = new double[n];
        var offDiagonal = new double[Math.Max(0, n - 1)];
        var v = new double[n];
        var p = new double[n];
        for (int k = 0; k < n - 1; k++)
        {
            diagonal[k] = a[(long)k * n + k];
            int first = k + 1, m = n - first;
            var column = a.AsSpan((int)((long)k * n + first), m);
            double tail = m > 1 ? TensorPrimitives.Dot<double>(column[1..], column[1..]) : 0;
            if (tail == 0)
            {
                offDiagonal[k] = column[0];
                continue;
            }
            double norm = Math.Sqrt(column[0] * column[0] + tail);
            double alpha = column[0] > 0 ? -norm : norm;
            var reflector = v.AsSpan(0, m);
            column.CopyTo(reflector);
            reflector[0] -= alpha;
            double tau = 2 / (reflector[0] * reflector[0] + tail);
            var vector = v;
            Parallel.For(0, m, i => p[i] = tau * TensorPrimitives.Dot<double>(a.AsSpan((int)((long)(first + i) * n + first), m), vector.AsSpan(0, m)));
            var product = p.AsSpan(0, m);
            double half = tau / 2 * TensorPrimitives.Dot<double>(product, reflector);
            TensorPrimitives.MultiplyAdd<double>(reflector, -half, product, product);
            var w = p;
            Parallel.For(0, m, i =>
            {
                var row = a.AsSpan((int)((long)(first + i) * n + first), m);
                TensorPrimitives.MultiplyAdd<double>(w.AsSpan(0, m), -vector[i], row, row);
                TensorPrimitives.MultiplyAdd<double>(vector.AsSpan(0, m), -w[i], row, row);
            });
            offDiagonal[k] = alpha;
        }
        if (n > 0)
        {
            diagonal[n - 1] = a[(long)(n - 1) * n + n - 1];
        }
        return (diagonal, offDiagonal);
    }

    /// <summary>Each eigenvalue by bisection between Gershgorin bounds, in parallel (they are independent).</summary>
    private static double[] TridiagonalEigenvalues(double[] d, double[] e)
    {
        int n = d.Length;
        var squares = e.Select(x => x * x).ToArray();
        double low = double.MaxValue, high = double.MinValue, largestSquare = 0;
        for (int i = 0; i < n; i++)
        {
            double radius = (i > 0 ? Math.Abs(e[i - 1]) : 0) + (i < n - 1 ? Math.Abs(e[i]) : 0);
            low = Math.Min(low, d[i] - radius);
            high = Math.Max(high, d[i] + radius);
            largestSquare = Math.Max(largestSquare, i < n - 1 ? squares[i] : 0);
        }
        // The smallest pivot the Sturm recurrence may divide by, as dstebz chooses it.
        double pivotMinimum = SmallestNormal * Math.Max(1, largestSquare);
        double tolerance = 2 * UnitRoundoff * Math.Max(Math.Abs(low), Math.Abs(high)) + pivotMinimum;
        var values = new double[n];
        Parallel.For(0, n, k =>
        {
            double lo = low, hi = high;
            while (hi - lo > tolerance)
            {
                double middle = lo + (hi - lo) / 2;
                if (middle <= lo || middle >= hi)
                {
                    break;
                }
                if (CountBelow(d, squares, middle, pivotMinimum) > k)
                {
                    hi = middle;
                }
                else
                {
                    lo = middle;
                }
            }
            values[k] = lo + (hi - lo) / 2;
        });
        return values;
    }

    // The number of eigenvalues below x: the negative pivots of the LDLᵀ factorisation of T − xI (Sylvester's law of inertia).
    private static int CountBelow(double[] d, double[] squares, double x, double pivotMinimum)
    {
        int count = 0;
        double pivot = 1;
        for (int i = 0; i < d.Length; i++)
        {
            pivot = d[i] - x - (i > 0 ? squares[i - 1] / pivot : 0);
            if (Math.Abs(pivot) < pivotMinimum)
            {
                pivot = -pivotMinimum;
            }
            if (pivot < 0)
            {
                count++;
            }
        }
        return count;
    }

    // The spacing of doubles at 1 (2⁻⁵²); .NET's double.Epsilon is the smallest subnormal, a different thing.
    internal const double UnitRoundoff = 2.220446049250313e-16;

    private const double SmallestNormal = 2.2250738585072014e-308;
}
