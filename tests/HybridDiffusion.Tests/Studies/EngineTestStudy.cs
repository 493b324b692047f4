namespace HybridDiffusion.Tests.Studies;

/// <summary>
/// The small studies the engine tests run on the demo pair: two prompts, a base and a hybrid setting, consecutive seeds,
/// batches of two (so a shard is made of whole batches and a unit is recorded every couple of images), at 256×256 so
/// that a unit takes tens of milliseconds (at the demo's own size a Slurm shard would end before it could be cancelled).
/// </summary>
internal static class EngineTestStudy
{
    /// <summary>Writes the study file into <paramref name="folder"/> and returns its path.</summary>
    /// <param name="seeds">Seeds per prompt and setting: units = 2 prompts × 2 settings × seeds.</param>
    public static string Write(string folder, int seeds)
    {
        var path = Path.Combine(folder, "study.json");
        File.WriteAllText(path, $$"""
            {
              "name": "engine test",
              "prompts": ["a red square", "a blue circle"],
              "seeds": { "start": 0, "count": {{seeds}} },
              "batchSize": 2,
              "threadCount": 1,
              "provider": "cpu",
              "settings": [
                { "name": "base", "mode": "base", "width": 256, "height": 256 },
                { "name": "hybrid", "mode": "hybrid", "width": 256, "height": 256 }
              ],
              "reference": "base",
              "measure": { "metrics": ["rms"] }
            }
            """);
        return path;
    }

    /// <summary>Units a study written with <paramref name="seeds"/> seeds has.</summary>
    public static int Units(int seeds) => 2 * 2 * seeds;
}
