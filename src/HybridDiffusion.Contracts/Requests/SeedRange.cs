using System.Collections;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// The consecutive seeds first, first+1, ... as a list that stores only its ends, so a request for a billion images
/// costs no memory until its images are made.
/// </summary>
public sealed class SeedRange : IReadOnlyList<long>
{
    public SeedRange(long first, int count)
    {
        if (count < 1)
        {
            throw HybridDiffusionException.Argument(SettingId.Count, $"The image count must be at least 1; got {count}.");
        }
        if (first > long.MaxValue - (count - 1))
        {
            throw HybridDiffusionException.Argument(SettingId.Count,
                $"Seeds {first} to {first} + {count - 1} run past the largest seed, {long.MaxValue}; start lower or make fewer images.");
        }
        First = first;
        Count = count;
    }

    public long First { get; }

    public int Count { get; }

    public long this[int index] => (uint)index < (uint)Count ? First + index : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<long> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return First + i;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
