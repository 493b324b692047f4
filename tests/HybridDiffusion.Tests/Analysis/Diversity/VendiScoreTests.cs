using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using MathNet.Numerics.LinearAlgebra;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>
/// The Vendi score on every kind of valid similarity matrix, as properties over sizes from 2 to 5,000: identical sets
/// (the collapsed model a diversity gate exists to catch), repeated blocks, known spectra, random kernels against an
/// independent eigenvalue computation, and sets of real demo images at the paper's 100 seeds.
/// </summary>
public sealed class VendiScoreTests
{
    [Fact]
    public void TheReferenceChecksHold()
    {
        var k = new double[,] { { 1, 0.9, 0 }, { 0.9, 1, 0 }, { 0, 0, 1 } };
        // "To 4 decimals": within 1e-4 of the reference figure (the second one is 3 − 4e-9, which REFERENCE.md truncates).
        Assert.True(Math.Abs(VendiScore.FromSimilarity(k) - 2.1573) < 1e-4, $"{VendiScore.FromSimilarity(k)}");

        var samples = new double[] { 0, 0, 10, 10, 20, 20 };
        var laplace = Square(6, (i, j) => Math.Exp(-Math.Abs(samples[i] - samples[j])));
        Assert.True(Math.Abs(VendiScore.FromSimilarity(laplace) - 2.9999) < 1e-4, $"{VendiScore.FromSimilarity(laplace)}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(24)]
    [InlineData(50)]
    [InlineData(100)]
    [InlineData(150)]
    [InlineData(1000)]
    [InlineData(5000)]
    public void IdenticalSamplesScoreExactlyOne(int n)
    {
        Assert.Equal(1.0, VendiScore.FromDistances(new DistanceMatrix(n)), 9);
    }

    // The decomposition itself, without merging duplicates: the all-ones matrix has one eigenvalue n and n − 1 zeros
    // that rounding scatters around 0 (the old QL iteration failed to converge on exactly this from n = 100 on).
    [Theory]
    [InlineData(2)]
    [InlineData(50)]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(400)]
    public void TheDecompositionScoresARankOneMatrixOne(int n)
    {
        Assert.Equal(1.0, VendiScore.FromSimilarity(Square(n, (_, _) => 1)), 9);
    }

    // k distinct pictures each repeated m times: K is a block matrix whose non-zero spectrum is m times that of the
    // k × k one, so the score is that of the k distinct pictures.
    [Theory]
    [InlineData(1, 5000)]
    [InlineData(2, 50)]
    [InlineData(2, 2500)]
    [InlineData(5, 20)]
    [InlineData(5, 1000)]
    [InlineData(24, 4)]
    [InlineData(24, 208)]
    [InlineData(100, 50)]
    public void RepeatedPicturesScoreAsTheDistinctOnes(int distinct, int copies)
    {
        var random = new Random(distinct * 7919 + copies);
        var kernel = UnitCosineKernel(random, distinct, dimensions: 6);
        double expected = Independent(kernel);
        var distances = Distances(distinct * copies, (a, b) => 1 - kernel[a % distinct, b % distinct]);
        Assert.Equal(expected, VendiScore.FromDistances(distances), 9);
        if (distinct * copies <= 400)
        {
            // The same without merging: the decomposition sees the degenerate block spectrum itself.
            Assert.Equal(expected, VendiScore.FromSimilarity(Square(distinct * copies, (a, b) => kernel[a % distinct, b % distinct])), 9);
        }
    }

    // K = Q diag(λ) Qᵀ with a random orthogonal Q: many repeated eigenvalues, zeros, and the tiny negative ones rounding
    // leaves; the score is exp of the entropy of the clamped, normalised λ.
    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(300)]
    public void AKnownSpectrumGivesItsEntropy(int n)
    {
        var random = new Random(n);
        var spectrum = Enumerable.Range(0, n).Select(i => (i % 4) switch
        {
            0 => 3.0,
            1 => 0.5,
            2 => 0.0,
            _ => -1e-15 * (1 + random.NextDouble()),
        }).ToArray();
        var positive = spectrum.Where(v => v > 0).ToArray();
        double expected = Math.Exp(-positive.Sum(v => v / positive.Sum() * Math.Log(v / positive.Sum())));
        var q = RandomOrthogonal(random, n);
        var matrix = Square(n, (i, j) => Enumerable.Range(0, n).Sum(k => q[i, k] * spectrum[k] * q[j, k]));
        Assert.Equal(expected, VendiScore.FromSimilarity(matrix), 8);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(60)]
    public void RandomKernelsAgreeWithAnIndependentJacobiComputation(int n)
    {
        var random = new Random(1000 + n);
        var kernel = UnitCosineKernel(random, n, dimensions: Math.Max(1, n / 3));
        Assert.Equal(Independent(kernel), VendiScore.FromSimilarity(kernel), 9);
        Assert.Equal(Independent(kernel), VendiScore.FromDistances(Distances(n, (a, b) => 1 - kernel[a, b])), 9);
    }

    // Any finite symmetric input, positive semi-definite or not (SSIM's kernel is not), gives a finite score between 1
    // and the number of samples.
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(40)]
    [InlineData(250)]
    public void AnyFiniteSimilarityGivesAFiniteScoreInRange(int n)
    {
        var random = new Random(n);
        for (int trial = 0; trial < 10; trial++)
        {
            double scale = Math.Pow(10, random.Next(-12, 3));
            var values = Square(n, (_, _) => 0.0);
            for (int i = 0; i < n; i++)
            {
                values[i, i] = 1;
                for (int j = 0; j < i; j++)
                {
                    values[i, j] = values[j, i] = (random.NextDouble() * 2 - 1) * scale;
                }
            }
            double score = VendiScore.FromSimilarity(values);
            Assert.True(double.IsFinite(score) && score >= 1 && score <= n, $"n {n}, scale {scale}: {score}");
        }
    }

    // The eigenvalue solver against MathNet.Numerics' LAPACK-style decomposition, on random symmetric matrices and on the
    // degenerate ones a diversity gate meets (rank one, zero, diagonal, repeated rows).
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(120)]
    [InlineData(300)]
    public void EigenvaluesMatchMathNetsDecomposition(int n)
    {
        var random = new Random(n);
        var symmetric = Square(n, (_, _) => 0);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                symmetric[i, j] = symmetric[j, i] = random.NextDouble() * 2 - 1;
            }
        }
        var cases = new[]
        {
            symmetric, Square(n, (_, _) => 1), Square(n, (_, _) => 0), Square(n, (i, j) => i == j ? i % 3 : 0),
            Square(n, (i, j) => symmetric[i % 3, j % 3] + (i == j ? 1 : 0)),
        };
        foreach (var matrix in cases)
        {
            var expected = Matrix<double>.Build.DenseOfArray(matrix).Evd(Symmetricity.Symmetric).EigenValues.Select(v => v.Real).OrderBy(v => v).ToArray();
            var actual = SymmetricSpectrum.Eigenvalues(matrix.Cast<double>().ToArray(), n);
            double scale = Math.Max(1, expected.Max(Math.Abs));
            Assert.All(expected.Zip(actual), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-10 * n * scale, $"{pair.First} vs {pair.Second}"));
        }
    }

    [Fact]
    public void AMatrixWithNoPositiveSpectrumOrANonFiniteValueIsRefusedByName()
    {
        Assert.Contains("no positive", Assert.Throws<ArgumentException>(() => VendiScore.FromSimilarity(Square(3, (_, _) => 0))).Message);
        Assert.Contains("not a finite number", Assert.Throws<ArgumentException>(() =>
            VendiScore.FromSimilarity(Square(3, (i, j) => i == 1 && j == 2 ? double.NaN : 1))).Message);
    }

    // Unit embeddings take the d × d side when it is smaller; both sides agree with the n × n cosine kernel.
    [Theory]
    [InlineData(10, 64)]
    [InlineData(300, 16)]
    [InlineData(2000, 8)]
    public void EmbeddingsScoreAsTheirCosineKernel(int n, int dimensions)
    {
        var random = new Random(n);
        var distinct = Enumerable.Range(0, Math.Min(n, 40)).Select(_ => UnitVector(random, dimensions)).ToList();
        var embeddings = Enumerable.Range(0, n).Select(i => distinct[i % distinct.Count]).ToList();
        var cosine = Distances(n, (a, b) => EmbeddingDistance.Between(embeddings[a], embeddings[b]));
        // float32 embeddings: the pairwise path rounds each cosine to float, the Gram path sums in double.
        Assert.Equal(VendiScore.FromDistances(cosine), VendiScore.FromUnitEmbeddings(embeddings), 4);
    }

    // The paper's sample size on the sets the gate exists to catch: a collapsed model's 100 images give exactly 1 and a
    // failing gate; a two-scene hybrid set with many exact repeats gives a score between 1 and the number of scenes'
    // pictures, never NaN.
    [Fact]
    public void ACollapsedSetOfAHundredDemoImagesScoresOneAndFailsTheGate()
    {
        var distilled = DemoPair.Generate("a shape", GenerationMode.Distilled, Enumerable.Range(0, 100).Select(i => (long)i))
            .Select(DiversitySample.FromGenerated).ToList();
        var outcome = DiversityAnalyzer.Measure(TestEngine.Shared,
            new DiversityRequest { Metrics = new[] { DiversityMetric.Rms, DiversityMetric.Ssim }, MinimumVendi = 1.5 }, distilled);
        Assert.All(outcome.Reports, r => Assert.Equal(1.0, r.Vendi, 9));
        Assert.All(outcome.Reports, r => Assert.Contains(r.Failures, f => f.Contains("Vendi score 1.0000 is below the minimum 1.5000")));
        Assert.False(outcome.Passed);

        foreach (int count in new[] { 50, 100, 150 })
        {
            var hybrid = DemoPair.Generate("a red circle", GenerationMode.Hybrid, Enumerable.Range(0, count).Select(i => (long)i))
                .Select(DiversitySample.FromGenerated).ToList();
            var report = DiversityAnalyzer.Measure(TestEngine.Shared, new DiversityRequest { Metrics = new[] { DiversityMetric.Rms, DiversityMetric.Ssim } }, hybrid);
            Assert.All(report.Reports, r => Assert.True(double.IsFinite(r.Vendi) && r.Vendi >= 1 && r.Vendi <= count, $"{count} images, {r.Metric}: {r.Vendi}"));
        }
    }

    [Fact]
    public async Task TheCliGateFailsACollapsedHundredWithExitThreeNotACrash()
    {
        using var folder = new TempFolder();
        var (made, _, makeErrors) = await DiversityInputTests.Cli("new-image", "a shape", "--mode", "distilled", "--count", "100", "--output", folder.Path);
        Assert.True(made == 0, makeErrors);
        var (code, output, errors) = await DiversityInputTests.Cli("diversity", folder["*.png"], "--metric", "rms,ssim", "--minimum-vendi", "1.5");
        Assert.True(code == 3, $"exit {code}: {errors}");
        Assert.Contains("FAIL", errors);
        Assert.Contains("Vendi score 1.0000 is below the minimum 1.5000", errors);
        Assert.DoesNotContain("   at ", errors);
        Assert.Contains("1.000", output);
    }

    private static double[,] Square(int n, Func<int, int, double> value)
    {
        var matrix = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                matrix[i, j] = value(i, j);
            }
        }
        return matrix;
    }

    private static DistanceMatrix Distances(int n, Func<int, int, double> distance)
    {
        var matrix = new DistanceMatrix(n);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                matrix.Set(i, j, distance(i, j));
            }
        }
        return matrix;
    }

    private static float[] UnitVector(Random random, int dimensions)
    {
        var vector = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float norm = MathF.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }

    // Cosine similarities of random unit vectors: a valid kernel (positive semi-definite, unit diagonal) whose rank is
    // at most the dimension, so its spectrum has many zeros.
    private static double[,] UnitCosineKernel(Random random, int n, int dimensions)
    {
        var vectors = Enumerable.Range(0, n).Select(_ => UnitVector(random, dimensions).Select(v => (double)v).ToArray()).ToList();
        var norms = vectors.Select(v => Math.Sqrt(v.Sum(x => x * x))).ToList();
        return Square(n, (i, j) => i == j ? 1 : vectors[i].Zip(vectors[j], (a, b) => a * b).Sum() / (norms[i] * norms[j]));
    }

    private static double[,] RandomOrthogonal(Random random, int n)
    {
        // A product of Householder reflections I − 2vvᵀ of random unit v is orthogonal.
        var q = Square(n, (i, j) => i == j ? 1 : 0);
        for (int reflection = 0; reflection < Math.Min(n, 6); reflection++)
        {
            var v = UnitVector(random, n).Select(x => (double)x).ToArray();
            double norm = Math.Sqrt(v.Sum(x => x * x));
            for (int k = 0; k < n; k++)
            {
                v[k] /= norm;
            }
            for (int i = 0; i < n; i++)
            {
                double dot = 0;
                for (int k = 0; k < n; k++)
                {
                    dot += q[i, k] * v[k];
                }
                for (int k = 0; k < n; k++)
                {
                    q[i, k] -= 2 * dot * v[k];
                }
            }
        }
        return q;
    }

    // The Vendi score by a different algorithm from the production one: cyclic Jacobi rotations, clamped and normalised.
    private static double Independent(double[,] kernel)
    {
        var positive = JacobiEigenvalues(kernel).Where(v => v > 0).ToArray();
        double sum = positive.Sum();
        return Math.Max(1, Math.Exp(-positive.Sum(v => v / sum * Math.Log(v / sum))));
    }

    private static double[] JacobiEigenvalues(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    off += a[p, q] * a[p, q];
                }
            }
            if (off < 1e-30)
            {
                break;
            }
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300)
                    {
                        continue;
                    }
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                }
            }
        }
        return Enumerable.Range(0, n).Select(i => a[i, i]).ToArray();
    }
}
