using System.Numerics;
using System.Runtime.CompilerServices;

namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// A seeded stream of standard normal floats: xoshiro256** seeded by SplitMix64, Marsaglia's polar method
/// (no trigonometry, so results do not depend on a platform's sin/cos). Same seed, same numbers.
/// </summary>
public sealed class GaussianNoise : INoiseSource
{
    private Xoshiro256 _rng;
    private double _spare;
    private bool _hasSpare;

    public GaussianNoise(long seed) => _rng = new Xoshiro256(seed);

    // LCM and ancestral steps draw fresh noise every step, so this is on the per-step path: optimised at first call
    // (not left to tiered compilation), with the generator state in a local and both values of each polar pair
    // written at once. The numbers are exactly those of repeated NextGaussian calls.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(Span<float> destination, float scale = 1f)
    {
        int i = 0;
        if (_hasSpare && destination.Length > 0)
        {
            destination[i++] = (float)_spare * scale;
            _hasSpare = false;
        }
        var rng = _rng;
        for (; i + 1 < destination.Length; i += 2)
        {
            var (first, second) = NextPair(ref rng);
            destination[i] = (float)first * scale;
            destination[i + 1] = (float)second * scale;
        }
        if (i < destination.Length)
        {
            var (first, second) = NextPair(ref rng);
            destination[i] = (float)first * scale;
            _spare = second;
            _hasSpare = true;
        }
        _rng = rng;
    }

    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        var (first, second) = NextPair(ref _rng);
        _spare = second;
        _hasSpare = true;
        return first;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double First, double Second) NextPair(ref Xoshiro256 rng)
    {
        double u, v, s;
        do
        {
            u = 2 * rng.NextUnit() - 1;
            v = 2 * rng.NextUnit() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        return (u * factor, v * factor);
    }

    /// <summary>xoshiro256** (Blackman and Vigna), seeded by SplitMix64.</summary>
    private struct Xoshiro256
    {
        private ulong _s0, _s1, _s2, _s3;

        public Xoshiro256(long seed)
        {
            ulong x = unchecked((ulong)seed);
            _s0 = SplitMix(ref x);
            _s1 = SplitMix(ref x);
            _s2 = SplitMix(ref x);
            _s3 = SplitMix(ref x);
        }

        /// <summary>A uniform double in [0, 1) from the top 53 bits (a signed conversion: exact, and cheaper than an unsigned one).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double NextUnit() => (long)(Next() >> 11) * (1.0 / (1L << 53));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ulong Next()
        {
            ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = BitOperations.RotateLeft(_s3, 45);
            return result;
        }

        private static ulong SplitMix(ref ulong x)
        {
            ulong z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
