namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// Cephes' single-precision natural log and sine/cosine, as ATen's AVX2 normal kernel evaluates them (avx_mathfun),
/// step by step in float for <see cref="TorchNoise"/>. The compiler of PyTorch's x86 builds fuses each multiply that
/// feeds an add into one fused multiply-add, so the steps here fuse the same pairs: with these pairs, every
/// initial_latents.npy of the diffusers reference cases is reproduced bit for bit (without fusing, 119 of 15,360
/// values differ by 1–2 ulp).
/// </summary>
internal static class CephesSingle
{
    private const float SqrtHalf = (float)0.707106781186547524;
    private const float FourOverPi = (float)1.27323954473516;

    private static readonly float[] LogCoefficients =
    {
        (float)7.0376836292E-2, (float)-1.1514610310E-1, (float)1.1676998740E-1, (float)-1.2420140846E-1, (float)1.4249322787E-1,
        (float)-1.6668057665E-1, (float)2.0000714765E-1, (float)-2.4999993993E-1, (float)3.3333331174E-1,
    };

    /// <summary>ln x for x in (0, 1]: x = m·2^e with m in [½, 1), the polynomial in m − 1 around √½.</summary>
    public static float Log(float x)
    {
        x = MathF.Max(x, BitConverter.Int32BitsToSingle(0x00800000));
        int bits = BitConverter.SingleToInt32Bits(x);
        float e = ((bits >>> 23) - 0x7f) + 1f;
        float m = BitConverter.Int32BitsToSingle((bits & ~0x7f800000) | BitConverter.SingleToInt32Bits(0.5f));
        if (m < SqrtHalf)
        {
            e -= 1f;
            m = m - 1f + m;
        }
        else
        {
            m -= 1f;
        }
        float z = m * m;
        float y = LogCoefficients[0];
        for (int i = 1; i < LogCoefficients.Length; i++)
        {
            y = Fma(y, m, LogCoefficients[i]);
        }
        y = Fma(y * m, z, e * (float)-2.12194440e-4);
        y -= z * 0.5f;
        return Fma(e, (float)0.693359375, m + y);
    }

    /// <summary>sin x and cos x for x ≥ 0: reduced by multiples of π/4 in three parts, then Cephes' two polynomials.</summary>
    public static (float Sin, float Cos) SinCos(float x)
    {
        int j = ((int)(x * FourOverPi) + 1) & ~1;
        float y = j;
        x = Fma(y, (float)-0.78515625, x);
        x = Fma(y, (float)-2.4187564849853515625e-4, x);
        x = Fma(y, (float)-3.77489497744594108e-8, x);
        bool sinNegative = (j & 4) != 0;
        bool cosNegative = ((j - 2) & 4) == 0;
        bool swap = (j & 2) != 0;

        float z = x * x;
        float cosPoly = Fma(Fma((float)2.443315711809948E-005, z, (float)-1.388731625493765E-003), z, (float)4.166664568298827E-002) * z;
        cosPoly = Fma(cosPoly, z, -(z * 0.5f)) + 1f;
        float sinPoly = Fma(Fma((float)-1.9515295891E-4, z, (float)8.3321608736E-3), z, (float)-1.6666654611E-1) * z;
        sinPoly = Fma(sinPoly, x, x);

        float sin = swap ? cosPoly : sinPoly;
        float cos = swap ? sinPoly : cosPoly;
        return (sinNegative ? -sin : sin, cosNegative ? -cos : cos);
    }

    private static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
}
