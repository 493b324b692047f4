using System.Text.Json;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>Units recorded and units in all, for one shard of a study, as `hybrid study status --json` reports them.</summary>
internal sealed record ShardProgress(int Done, int Total)
{
    /// <summary>Asks `hybrid study status` about every shard of <paramref name="shardCount"/>.</summary>
    public static IReadOnlyList<ShardProgress> Read(string study, string results, int shardCount)
    {
        var json = ExternalProcess.Hybrid(new Dictionary<string, string>(),
            "study", "status", study, "--output", results, "--shard-count", shardCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json")
            .Succeeded("hybrid study status");
        using var status = JsonDocument.Parse(json);
        return status.RootElement.GetProperty("shards").EnumerateArray()
            .Select(s => new ShardProgress(s.GetProperty("done").GetInt32(), s.GetProperty("total").GetInt32())).ToList();
    }
}
