namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// The 32-bit Mersenne Twister (Matsumoto and Nishimura), seeded as PyTorch's CPU generator seeds it: the low 32 bits
/// of the seed through the standard initialisation recurrence.
/// </summary>
internal struct Mt19937
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _state;
    private int _index;

    public Mt19937(ulong seed)
    {
        _state = new uint[N];
        _state[0] = (uint)seed;
        for (uint j = 1; j < N; j++)
        {
            _state[j] = unchecked(1812433253u * (_state[j - 1] ^ (_state[j - 1] >> 30)) + j);
        }
        _index = N;
    }

    public uint Next()
    {
        if (_index >= N)
        {
            Twist();
        }
        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Two draws as one 64-bit value, the first in the high half (PyTorch's random64).</summary>
    public ulong Next64()
    {
        ulong high = Next();
        return (high << 32) | Next();
    }

    private void Twist()
    {
        for (int k = 0; k < N; k++)
        {
            uint y = (_state[k] & UpperMask) | (_state[(k + 1) % N] & LowerMask);
            _state[k] = _state[(k + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
        }
        _index = 0;
    }
}
