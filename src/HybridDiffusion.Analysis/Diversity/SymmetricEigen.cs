namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal form, then the implicit QL iteration
/// with Wilkinson-style shifts. O(n³), a second or so for n = 1000.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxIterationsPerValue = 60;

    /// <summary>The eigenvalues, in no particular order. <paramref name="matrix"/> must be symmetric; it is not modified.</summary>
    public static double[] Eigenvalues(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n)
        {
            throw new ArgumentException($"The matrix must be square; got {n}x{matrix.GetLength(1)}.", nameof(matrix));
        }
        var a = (double[,])matrix.Clone();
        var diagonal = new double[n];
        var offDiagonal = new double[n];
        Tridiagonalize(a, diagonal, offDiagonal);
        DiagonalizeTridiagonal(diagonal, offDiagonal);
        return diagonal;
    }

    /// <summary>Reduces <paramref name="a"/> in place; d receives the diagonal, e the sub-diagonal (e[0] = 0 after the shift below).</summary>
    private static void Tridiagonalize(double[,] a, double[] d, double[] e)
    {
        int n = d.Length;
        for (int i = n - 1; i > 0; i--)
        {
            int l = i - 1;
            double h = 0;
            if (l > 0)
            {
                double scale = 0;
                for (int k = 0; k <= l; k++)
                {
                    scale += Math.Abs(a[i, k]);
                }
                if (scale == 0)
                {
                    e[i] = a[i, l];
                }
                else
                {
                    for (int k = 0; k <= l; k++)
                    {
                        a[i, k] /= scale;
                        h += a[i, k] * a[i, k];
                    }
                    double f = a[i, l];
                    double g = f >= 0 ? -Math.Sqrt(h) : Math.Sqrt(h);
                    e[i] = scale * g;
                    h -= f * g;
                    a[i, l] = f - g;
                    f = 0;
                    for (int j = 0; j <= l; j++)
                    {
                        // p = A·u / h, accumulated from the lower triangle only.
                        g = 0;
                        for (int k = 0; k <= j; k++)
                        {
                            g += a[j, k] * a[i, k];
                        }
                        for (int k = j + 1; k <= l; k++)
                        {
                            g += a[k, j] * a[i, k];
                        }
                        e[j] = g / h;
                        f += e[j] * a[i, j];
                    }
                    double hh = f / (h + h);
                    for (int j = 0; j <= l; j++)
                    {
                        // A ← A − u·qᵀ − q·uᵀ with q = p − K·u.
                        f = a[i, j];
                        e[j] = g = e[j] - hh * f;
                        for (int k = 0; k <= j; k++)
                        {
                            a[j, k] -= f * e[k] + g * a[i, k];
                        }
                    }
                }
            }
            else
            {
                e[i] = a[i, l];
            }
            d[i] = h;
        }
        for (int i = 0; i < n; i++)
        {
            d[i] = a[i, i];
        }
        for (int i = 1; i < n; i++)
        {
            e[i - 1] = e[i];
        }
        if (n > 0)
        {
            e[n - 1] = 0;
        }
    }

    /// <summary>Implicit QL on the tridiagonal (d, e); d ends holding the eigenvalues.</summary>
    private static void DiagonalizeTridiagonal(double[] d, double[] e)
    {
        int n = d.Length;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0;
            int m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double scale = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= double.Epsilon + 1e-15 * scale)
                    {
                        break;
                    }
                }
                if (m == l)
                {
                    break;
                }
                if (++iterations > MaxIterationsPerValue)
                {
                    throw new InvalidOperationException("The eigenvalue iteration did not converge; the matrix may contain NaN or infinite values.");
                }
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.Abs(r) : -Math.Abs(r)));
                double s = 1, c = 1, p = 0;
                bool deflated = false;
                for (int i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    e[i + 1] = r = Hypot(f, g);
                    if (r == 0)
                    {
                        // Underflow: the matrix split here; go round again.
                        d[i + 1] -= p;
                        e[m] = 0;
                        deflated = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                }
                if (deflated)
                {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
            while (true);
        }
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y)
        {
            (x, y) = (y, x);
        }
        if (x == 0)
        {
            return 0;
        }
        double ratio = y / x;
        return x * Math.Sqrt(1 + ratio * ratio);
    }
}
