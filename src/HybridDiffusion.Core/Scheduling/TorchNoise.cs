namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// PyTorch's CPU generator for float32 <c>torch.randn</c>: a seed gives the numbers
/// <c>torch.randn(shape, generator=torch.Generator().manual_seed(seed))</c> gives, one <see cref="Fill"/> per call.
/// mt19937 drives two paths, as in ATen's normal kernel:
/// <list type="bullet">
/// <item>16 values or more: every value first gets a uniform u = (32-bit draw &amp; 2²⁴−1)·2⁻²⁴, then each block of 16
/// becomes Box–Muller pairs (u1 = 1 − u[j], u2 = u[j+8]: r = √(−2·ln u1), θ = 2π·u2, r·cos θ and r·sin θ) with the
/// Cephes single-precision log and sincos of ATen's AVX2 kernel (avx_mathfun); a size that is not a multiple of 16
/// redraws the last 16 uniforms and transforms them again.</item>
/// <item>fewer than 16: each value is a double-precision Box–Muller sample from 53-bit uniforms (u1, u2:
/// r = √(−2·log1p(−u2)), θ = 2π·u1, r·cos θ), the pair's r·sin θ kept in the generator for its next scalar value.</item>
/// </list>
/// </summary>
internal sealed class TorchNoise : INoiseSource
{
    private const int Block = 16;
    private Mt19937 _engine;
    private double? _nextDoubleNormal;

    public TorchNoise(long seed) => _engine = new Mt19937(unchecked((ulong)seed));

    public void Fill(Span<float> destination, float scale = 1f)
    {
        if (destination.Length >= Block)
        {
            FillVectorised(destination);
        }
        else
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)NextDoubleNormal();
            }
        }
        if (scale != 1f)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] *= scale;
            }
        }
    }

    private void FillVectorised(Span<float> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = NextUniform24();
        }
        for (int i = 0; i + Block <= data.Length; i += Block)
        {
            BoxMuller16(data.Slice(i, Block));
        }
        if (data.Length % Block != 0)
        {
            var tail = data[^Block..];
            for (int i = 0; i < Block; i++)
            {
                tail[i] = NextUniform24();
            }
            BoxMuller16(tail);
        }
    }

    private float NextUniform24() => (_engine.Next() & 0xFFFFFF) * (1f / (1 << 24));

    private static void BoxMuller16(Span<float> data)
    {
        // 2.0f * pi<double> is computed in double and rounded once to float, as _mm256_set1_ps receives it.
        const float TwoPi = (float)(2.0 * Math.PI);
        for (int j = 0; j < Block / 2; j++)
        {
            float u1 = 1f - data[j];
            float u2 = data[j + Block / 2];
            float radius = MathF.Sqrt(-2f * CephesSingle.Log(u1));
            var (sin, cos) = CephesSingle.SinCos(TwoPi * u2);
            data[j] = radius * cos;
            data[j + Block / 2] = radius * sin;
        }
    }

    private double NextDoubleNormal()
    {
        if (_nextDoubleNormal is double cached)
        {
            _nextDoubleNormal = null;
            return cached;
        }
        double u1 = NextUniform53(), u2 = NextUniform53();
        double r = Math.Sqrt(-2.0 * Log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        _nextDoubleNormal = r * Math.Sin(theta);
        return r * Math.Cos(theta);
    }

    private double NextUniform53() => (_engine.Next64() & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));

    // log(1+x) without the cancellation of Math.Log(1 + x) for small x (Goldberg's correction).
    private static double Log1p(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
