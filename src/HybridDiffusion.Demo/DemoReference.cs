using System.Globalization;
using System.Text.RegularExpressions;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Output;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Demo;

/// <summary>
/// Samples of the demo pair's true data distribution for a prompt: what a perfect model of the demo data would make,
/// and so the reference set FID and KID of the demo's modes are measured against. The distribution is the one the base
/// UNet is the exact diffusion model of: point masses at the scene latents, weighted by prior × exp(word affinity ×
/// the prompt's words that name the scene's attributes), each scene decoded by the demo VAE decoder.
/// </summary>
public static partial class DemoReference
{
    /// <summary>The most images one call writes.</summary>
    public const int MaxCount = 100_000;

    /// <summary>Writes <paramref name="count"/> samples as PNG files into <paramref name="folder"/>; returns their paths.</summary>
    /// <param name="engine">Decodes the scenes with the demo base model's VAE decoder.</param>
    /// <param name="baseModel">The demo pair's base folder (whose VAE decoder draws the scenes).</param>
    /// <param name="seed">Seeds the draws: the same seed writes the same files.</param>
    public static IReadOnlyList<string> Write(HybridEngine engine, string baseModel, string prompt, int count, long seed, string folder, IEngineLog? log = null)
    {
        if (count < 1 || count > MaxCount)
        {
            throw HybridDiffusionException.Argument(SettingId.Count, $"Write 1 to {MaxCount} reference images; got {count}.");
        }
        var weights = SceneWeights(prompt);
        var target = OutputDestination.PrepareFolder(folder, SettingId.OutputDirectory, "the reference folder", log);
        Directory.CreateDirectory(target);
        var scenes = DemoWorld.Scenes;
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var draws = Enumerable.Range(0, count).Select(_ => Draw(weights, random.NextDouble())).ToArray();
        // Each scene's picture is decoded once, however often it is drawn.
        var distinct = draws.Distinct().Order().ToArray();
        int n = DemoWorld.LatentSize;
        var pictures = engine.Decode(baseModel, distinct.Select(i => DemoRaster.SceneLatent(scenes[i])).ToList(), DemoWorld.LatentChannels, n, n);
        var pictureOf = distinct.Select((scene, k) => (scene, k)).ToDictionary(p => p.scene, p => pictures[p.k]);
        var stem = OutputNaming.Slug(prompt);
        var paths = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            var picture = pictureOf[draws[i]];
            var path = Path.Combine(target, $"{stem}-reference-{i}.png");
            AtomicFile.WriteAllBytes(path, PngEncoder.Encode(picture, new KeyValuePair<string, string>[]
            {
                new("Software", "HybridDiffusion"),
                new("Prompt", prompt),
                new("Mode", "Reference"),
                new("Seed", i.ToString(CultureInfo.InvariantCulture)),
                new("Scene", scenes[draws[i]].ToString()),
                new("Size", $"{picture.Width}x{picture.Height}"),
            }), flushToDisk: false);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>The scenes a prompt leaves and their probabilities, most likely first (those above one in a million).</summary>
    public static IReadOnlyList<(string Scene, double Probability)> Scenes(string prompt) =>
        SceneWeights(prompt).Select((p, i) => (DemoWorld.Scenes[i].ToString(), p)).Where(s => s.p > 1e-6).OrderByDescending(s => s.p).ToList();

    /// <summary>
    /// The probability of each scene for <paramref name="prompt"/>: softmax of log prior + affinity × (how many of the
    /// prompt's words name one of the scene's attributes). Words are runs of letters, lower-cased, as the demo's CLIP
    /// tokenizer splits them; each steering word is one token of the demo's text encoder.
    /// </summary>
    internal static double[] SceneWeights(string prompt)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match word in Letters().Matches(prompt.ToLowerInvariant()))
        {
            if (DemoWorld.Words.TryGetValue(word.Value, out var attribute))
            {
                counts[attribute] = counts.GetValueOrDefault(attribute) + 1;
            }
        }
        var scenes = DemoWorld.Scenes;
        var logits = scenes.Select(s => Math.Log(s.Prior) + DemoWorld.WordAffinity * s.Attributes.Sum(a => counts.GetValueOrDefault(a))).ToArray();
        double top = logits.Max();
        var weights = logits.Select(l => Math.Exp(l - top)).ToArray();
        double total = weights.Sum();
        return weights.Select(w => w / total).ToArray();
    }

    private static int Draw(double[] weights, double u)
    {
        double cumulative = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (u < cumulative)
            {
                return i;
            }
        }
        return Array.FindLastIndex(weights, w => w > 0);
    }

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Letters();
}
