using BenchmarkDotNet.Attributes;
using HybridDiffusion.Analysis.Diversity;
using MathNet.Numerics.LinearAlgebra;

namespace HybridDiffusion.Benchmarks;

/// <summary>
/// The Vendi score's eigenvalues of an n × n similarity matrix (a cosine kernel of 64-d features: low rank, like a
/// set of pictures): the engine's eigenvalues-only solver against MathNet.Numerics' full decomposition, which also
/// accumulates the eigenvectors the score does not use. Compare the two rows of one run, not absolute times.
/// </summary>
public class SpectrumBenchmarks
{
    private double[] _matrix = Array.Empty<double>();

    [Params(250, 500, 1000)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Samples);
        var features = Enumerable.Range(0, Samples).Select(_ =>
        {
            var v = Enumerable.Range(0, 64).Select(_ => random.NextDouble() - 0.5).ToArray();
            double norm = Math.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / norm).ToArray();
        }).ToArray();
        _matrix = new double[Samples * Samples];
        for (int i = 0; i < Samples; i++)
        {
            for (int j = 0; j < Samples; j++)
            {
                _matrix[i * Samples + j] = features[i].Zip(features[j], (a, b) => a * b).Sum();
            }
        }
    }

    [Benchmark(Baseline = true)]
    public double[] MathNetEvd() =>
        Matrix<double>.Build.Dense(Samples, Samples, (double[])_matrix.Clone()).Evd(Symmetricity.Symmetric).EigenValues.Select(v => v.Real).ToArray();

    [Benchmark]
    public double[] EigenvaluesOnly() => SymmetricSpectrum.Eigenvalues((double[])_matrix.Clone(), Samples);
}
