using System.Collections;
using HybridDiffusion.Contracts;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The consecutive seeds first, first+1, ... as a list that stores only its ends, so a request for a billion images
/// costs no memory until its images are made.
/// </summary>
public sealed class SeedRange : IReadOnlyList<long>
{
    /// <param name="target">The option named in an error: the range must not run past the largest seed.</param>
    public SeedRange(long first, int count, string target = "Count")
    {
        if (count < 1)
        {
            throw HybridDiffusionException.Argument(target, $"The image count must be at least 1; got {count}.");
        }
        if (first > long.MaxValue - (count - 1))
        {
            throw HybridDiffusionException.Argument(target,
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
