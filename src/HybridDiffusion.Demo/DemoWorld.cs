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

    /// <summary>The latent channel holding the scene's identity code: the decoder does not draw it.</summary>
    public const int CodeChannel = 3;

    /// <summary>Amplitude of the identity code (VAE latent units): faint, so the exact posterior hardly notices it.</summary>
    public const double CodeAmplitude = 0.15;

    /// <summary>
    /// Scale between the VAE's latent and the diffusion latent (vae config scaling_factor). It sets how far apart the scenes
    /// are for the noise: far enough that the base model keeps a scene it was given at t = 499, near enough that it
    /// settles on one only after a fifth of its steps.
    /// </summary>
    public const double VaeScalingFactor = 2.4;

    /// <summary>Gain of the decoder's tanh: latent values in about [−1, 1] reach saturated colours.</summary>
    public const float DecoderGain = 1.6f;

    /// <summary>
    /// How strongly one matching prompt word raises a scene's log-weight: enough that a prompt keeps exactly the scenes
    /// that match the most of its words, even against the distilled model's amplified evidence.
    /// </summary>
    public const float WordAffinity = 400f;

    /// <summary>
    /// Log-weight step between consecutive scenes of the prior's ranking: small, so a prompt's scenes are about equally
    /// likely, yet a clear winner for the distilled model's sharpened prior.
    /// </summary>
    public const double PriorDecay = 0.01;

    public static IReadOnlyList<(string Name, double R, double G, double B)> Colours { get; } = new[]
    {
        ("red", 0.90, 0.16, 0.14),
        ("green", 0.13, 0.70, 0.26),
        ("blue", 0.17, 0.33, 0.93),
        ("yellow", 0.95, 0.78, 0.06),
    };

    public static IReadOnlyList<string> Shapes { get; } = new[] { "circle", "square", "triangle" };

    public static IReadOnlyList<(string Name, double Radius)> Sizes { get; } = new[] { ("small", 0.22), ("large", 0.36) };

    public static readonly (double R, double G, double B) Background = (0.84, 0.86, 0.95);

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
        ["clock"] = Clock, ["watch"] = Clock,
    };

    /// <summary>Frequent words given whole-word tokens so tokenization looks like a real CLIP vocabulary.</summary>
    public static IReadOnlyList<string> CommonWords { get; } = new[] { "a", "an", "the", "of", "photo", "picture", "image", "with", "and", "on", "in", "shape" };

    /// <summary>How far (in radii) a shape's centre keeps from the edge; shapes may reach a little past it.</summary>
    public const double EdgeMargin = 0.6;

    /// <summary>Least distance between the centres of a shape's two sizes (and of two small shapes) of one colour, in radii.</summary>
    public const double SiblingGap = 1.1;

    /// <summary>
    /// The concept that decides its structure late: a clock, always at the centre and the same size, whose scenes differ
    /// only in where its one thin hand points, so the noise hides the time until well after the shapes' scenes are told
    /// apart. Every two of its scenes differ by two hands, so they are all equally far apart.
    /// </summary>
    public const string Clock = "clock";

    /// <summary>The hours the clock's hand may point at.</summary>
    public static IReadOnlyList<int> ClockHours { get; } = new[] { 12, 2, 4, 6, 8, 10 };

    /// <summary>The clock face's radius, and its hand's length and half width (image units).</summary>
    public const double ClockRadius = 0.34, HandLength = 0.26, HandHalfWidth = 0.04;

    public static readonly (double R, double G, double B) ClockFace = (0.98, 0.97, 0.90), HandColour = (0.12, 0.12, 0.16);

    /// <summary>
    /// How much less likely (in nats) the prior makes a clock than a shape: a prompt without a steering word practically
    /// never shows one, so the clocks leave the shapes' prompts as they were.
    /// </summary>
    public const double ClockRarity = 30;

    public static IReadOnlyList<string> AttributeNames { get; } =
        Colours.Select(c => c.Name).Concat(Shapes).Concat(Sizes.Select(s => s.Name)).Append(Clock).ToArray();

    public static IReadOnlyList<DemoScene> Scenes { get; } = BuildScenes();

    // [shape][size] centres of one colour: each shape's sizes, and every two small shapes, at least SiblingGap radii apart.
    private static bool Apart((double X, double Y)[][] centres)
    {
        static double Distance((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
        double small = Sizes[0].Radius, large = Sizes[1].Radius;
        for (int i = 0; i < centres.Length; i++)
        {
            if (Distance(centres[i][0], centres[i][1]) < SiblingGap * (small + large))
            {
                return false;
            }
            for (int j = i + 1; j < centres.Length; j++)
            {
                if (Distance(centres[i][0], centres[j][0]) < SiblingGap * 2 * small)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static double Place(Random random, double radius) => radius * EdgeMargin + random.NextDouble() * (1 - 2 * radius * EdgeMargin);

    private static IReadOnlyList<DemoScene> BuildScenes()
    {
        var random = new Random(20250601);
        var scenes = new List<DemoScene>();
        foreach (var colour in Colours)
        {
            // One colour's scenes are placed together: each shape's two sizes lie apart, and so do its small shapes, so
            // the scenes a prompt of one colour leaves differ clearly.
            (double X, double Y)[][] centres;
            do
            {
                centres = Shapes.Select(_ => Sizes.Select(s => (Place(random, s.Radius), Place(random, s.Radius))).ToArray()).ToArray();
            }
            while (!Apart(centres));
            for (int shape = 0; shape < Shapes.Count; shape++)
            {
                for (int z = 0; z < Sizes.Count; z++)
                {
                    scenes.Add(new DemoScene(colour.Name, Shapes[shape], Sizes[z].Name, centres[shape][z].X, centres[shape][z].Y, random.Next(), 0));
                }
            }
        }
        // Unequal prior weights, geometric over a fixed shuffle: every pair of scenes differs by at least
        // PriorDecay nats, so mode seeking has a clear winner whatever subset a prompt selects.
        var weights = ShuffledGeometricWeights(random, scenes.Count, 0);
        // The clocks come last from their own random stream, so the shapes' scenes and their order are as before.
        var clockRandom = new Random(20261207);
        var clocks = ClockHours.Select(hour => new DemoScene("white", Clock, "large", 0.5, 0.5, clockRandom.Next(), 0, hour)).ToArray();
        var clockWeights = ShuffledGeometricWeights(clockRandom, clocks.Length, -ClockRarity);
        double total = weights.Sum() + clockWeights.Sum();
        return scenes.Select((s, i) => s with { Prior = weights[i] / total })
            .Concat(clocks.Select((c, i) => c with { Prior = clockWeights[i] / total })).ToArray();
    }

    /// <summary>exp(logOffset − PriorDecay · rank), each item's rank drawn by a shuffle from <paramref name="random"/>.</summary>
    private static double[] ShuffledGeometricWeights(Random random, int count, double logOffset)
    {
        var order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        var weights = new double[count];
        for (int rank = 0; rank < order.Length; rank++)
        {
            weights[order[rank]] = Math.Exp(logOffset - PriorDecay * rank);
        }
        return weights;
    }
}
