using System.Globalization;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>Shard <see cref="Index"/> of <see cref="Count"/> (from 0): it runs every Count-th batch of the study, starting at Index.</summary>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>The whole study as one shard.</summary>
    public static ShardSpec Whole { get; } = new(0, 1);

    /// <summary>Reads "I/N" (0 ≤ I &lt; N), the spelling both faces and the environment variables use.</summary>
    public static ShardSpec Parse(string text, SettingId setting)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            throw HybridDiffusionException.Argument(setting, $"A shard is written I/N, its index from 0 and the shard count (0/4 ... 3/4); got '{text}'.");
        }
        return Create(index, count, setting);
    }

    /// <summary>Checks the index and count: a count of at least 1 and an index below it.</summary>
    public static ShardSpec Create(int index, int count, SettingId setting)
    {
        if (count < 1)
        {
            throw HybridDiffusionException.Argument(setting, $"The shard count must be at least 1; got {count}.");
        }
        if (index < 0 || index >= count)
        {
            throw HybridDiffusionException.Argument(setting,
                $"Shard {index}/{count} does not exist: shards count from 0, so with {count} shard(s) the index is 0 to {count - 1}.");
        }
        return new ShardSpec(index, count);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
