namespace HybridDiffusion.Demo;

/// <summary>
/// The demo data distribution: a prompt-conditioned mixture of latent scenes with unequal prior weights, and the
/// words that steer it. Everything is derived from fixed constants, so every install writes the same models.
/// </summary>
internal static class DemoWorld
{
    /// <summary>Latent grid of the stored scenes (a 128×128 image); the UNet resizes them to the requested size.</summary>
    public const int LatentSize = 16;
    public const int LatentChannels = 4;

    /// <summary>Scale between the VAE's latent and the diffusion latent (vae config scaling_factor).</summary>
    public const double VaeScalingFactor = 0.8;

    /// <summary>Gain of the decoder's tanh: latent values in about [−1, 1] reach saturated colours.</summary>
    public const float DecoderGain = 1.6f;

    /// <summary>How strongly one matching prompt word raises a scene's log-weight.</summary>
    public const float WordAffinity = 4f;

    /// <summary>Log-weight step between consecutive scenes of the prior's ranking.</summary>
    public const double PriorDecay = 0.05;

    public static readonly (string Name, double R, double G, double B)[] Colours =
    {
        ("red", 0.90, 0.16, 0.14),
        ("green", 0.13, 0.70, 0.26),
        ("blue", 0.17, 0.33, 0.93),
        ("yellow", 0.97, 0.83, 0.12),
    };

    public static readonly string[] Shapes = { "circle", "square", "triangle" };

    public static readonly (string Name, double Radius)[] Sizes = { ("small", 0.17), ("large", 0.30) };

    public static readonly (double R, double G, double B) Background = (0.86, 0.87, 0.90);

    /// <summary>Prompt words and the attribute each one asks for (synonyms included).</summary>
    public static readonly IReadOnlyDictionary<string, string> Words = new Dictionary<string, string>
    {
        ["red"] = "red", ["crimson"] = "red", ["scarlet"] = "red",
        ["green"] = "green", ["emerald"] = "green", ["lime"] = "green",
        ["blue"] = "blue", ["navy"] = "blue", ["azure"] = "blue",
        ["yellow"] = "yellow", ["gold"] = "yellow", ["golden"] = "yellow",
        ["circle"] = "circle", ["ball"] = "circle", ["round"] = "circle", ["disc"] = "circle",
        ["square"] = "square", ["box"] = "square", ["block"] = "square", ["cube"] = "square",
        ["triangle"] = "triangle", ["pyramid"] = "triangle", ["triangular"] = "triangle",
        ["small"] = "small", ["tiny"] = "small", ["little"] = "small",
        ["large"] = "large", ["big"] = "large", ["huge"] = "large",
    };

    /// <summary>Frequent words given whole-word tokens so tokenization looks like a real CLIP vocabulary.</summary>
    public static readonly string[] CommonWords = { "a", "an", "the", "of", "photo", "picture", "image", "with", "and", "on", "in", "shape" };

    public static IReadOnlyList<string> AttributeNames { get; } =
        Colours.Select(c => c.Name).Concat(Shapes).Concat(Sizes.Select(s => s.Name)).ToArray();

    public static IReadOnlyList<DemoScene> Scenes { get; } = BuildScenes();

    private static IReadOnlyList<DemoScene> BuildScenes()
    {
        var random = new Random(20250601);
        var scenes = new List<DemoScene>();
        foreach (var colour in Colours)
        {
            foreach (var shape in Shapes)
            {
                foreach (var (size, radius) in Sizes)
                {
                    double margin = radius + 0.04;
                    double x = margin + random.NextDouble() * (1 - 2 * margin);
                    double y = margin + random.NextDouble() * (1 - 2 * margin);
                    scenes.Add(new DemoScene(colour.Name, shape, size, x, y, 0));
                }
            }
        }
        // Unequal prior weights, geometric over a fixed shuffle: every pair of scenes differs by at least
        // PriorDecay nats, so mode seeking has a clear winner whatever subset a prompt selects.
        var order = Enumerable.Range(0, scenes.Count).OrderBy(_ => random.Next()).ToArray();
        var weights = new double[scenes.Count];
        for (int rank = 0; rank < order.Length; rank++)
        {
            weights[order[rank]] = Math.Exp(-PriorDecay * rank);
        }
        double total = weights.Sum();
        return scenes.Select((s, i) => s with { Prior = weights[i] / total }).ToArray();
    }
}
