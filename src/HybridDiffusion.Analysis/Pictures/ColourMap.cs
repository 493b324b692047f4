namespace HybridDiffusion.Analysis.Pictures;

/// <summary>A perceptually ordered dark-blue → green → yellow ramp (viridis anchor colours), for heatmaps.</summary>
internal static class ColourMap
{
    private static readonly Rgb[] s_anchors =
    {
        new(68, 1, 84), new(59, 82, 139), new(33, 145, 140), new(94, 201, 98), new(253, 231, 37),
    };

    /// <summary>The colour for <paramref name="t"/> in [0, 1] (clamped).</summary>
    public static Rgb At(double t)
    {
        t = double.IsFinite(t) ? Math.Clamp(t, 0, 1) : 0;
        double position = t * (s_anchors.Length - 1);
        int below = Math.Min(s_anchors.Length - 2, (int)Math.Floor(position));
        return s_anchors[below].Mix(s_anchors[below + 1], position - below);
    }
}
