using System.Text.Json;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// The small studies the engine tests run on the demo pair: prompts of a colour and a shape, a base and a hybrid
/// setting, consecutive seeds, batches of two (so a shard is made of whole batches and a unit is recorded every couple
/// of images), at 256×256 so that a unit takes tens of milliseconds (at the demo's own size a Slurm shard would end
/// before it could be cancelled).
/// </summary>
internal static class EngineTestStudy
{
    private static readonly string[] Colours = { "red", "blue", "green", "yellow" };
    private static readonly string[] Shapes = { "square", "circle", "triangle", "star" };

    /// <summary>Writes the study file into <paramref name="folder"/> and returns its path.</summary>
    /// <param name="prompts">How many prompts (at most 16): units = prompts × 2 settings × seeds.</param>
    /// <param name="seeds">Seeds per prompt and setting.</param>
    public static string Write(string folder, int prompts, int seeds)
    {
        var promptList = JsonSerializer.Serialize(Colours.SelectMany(c => Shapes.Select(s => $"a {c} {s}")).Take(prompts));
        var path = Path.Combine(folder, "study.json");
        File.WriteAllText(path, $$"""
            {
              "name": "engine test",
              "prompts": {{promptList}},
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

    /// <summary>Units a study written with these counts has.</summary>
    public static int Units(int prompts, int seeds) => prompts * 2 * seeds;
}
