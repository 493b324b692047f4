namespace HybridDiffusion.Demo;

/// <summary>Draws demo scenes into the diffusion latent that the demo VAE decoder turns back into the picture.</summary>
internal static class DemoRaster
{
    private const int Supersample = 4;

    /// <summary>The diffusion-space latent [4, 16, 16] of a scene.</summary>
    public static float[] SceneLatent(DemoScene scene)
    {
        int n = DemoWorld.LatentSize;
        var colour = DemoWorld.Colours.First(c => c.Name == scene.Colour);
        double radius = DemoWorld.Sizes.First(s => s.Name == scene.Size).Radius;
        var latent = new float[DemoWorld.LatentChannels * n * n];
        var code = new Random(scene.CodeSeed);
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                double coverage = Coverage(scene.Shape, scene.CentreX, scene.CentreY, radius, x, y, n);
                double[] rgb =
                {
                    coverage * colour.R + (1 - coverage) * DemoWorld.Background.R,
                    coverage * colour.G + (1 - coverage) * DemoWorld.Background.G,
                    coverage * colour.B + (1 - coverage) * DemoWorld.Background.B,
                };
                for (int c = 0; c < 3; c++)
                {
                    // Invert the decoder: pixel = tanh(gain · z), z = latent / scaling_factor.
                    double signed = Math.Clamp(2 * rgb[c] - 1, -0.92, 0.92);
                    double z = Math.Atanh(signed) / DemoWorld.DecoderGain;
                    latent[(c * n + y) * n + x] = (float)(z * DemoWorld.VaeScalingFactor);
                }
                // The code channel: invisible, the same size for every scene, and (nearly) orthogonal between scenes.
                double sign = code.Next(2) == 0 ? -1 : 1;
                latent[(DemoWorld.CodeChannel * n + y) * n + x] = (float)(sign * DemoWorld.CodeAmplitude * DemoWorld.VaeScalingFactor);
            }
        }
        return latent;
    }

    private static double Coverage(string shape, double cx, double cy, double r, int px, int py, int n)
    {
        int inside = 0;
        for (int sy = 0; sy < Supersample; sy++)
        {
            for (int sx = 0; sx < Supersample; sx++)
            {
                double x = (px + (sx + 0.5) / Supersample) / n;
                double y = (py + (sy + 0.5) / Supersample) / n;
                if (Inside(shape, x - cx, y - cy, r))
                {
                    inside++;
                }
            }
        }
        return inside / (double)(Supersample * Supersample);
    }

    private static bool Inside(string shape, double dx, double dy, double r) => shape switch
    {
        "circle" => dx * dx + dy * dy <= r * r,
        "square" => Math.Abs(dx) <= r * 0.85 && Math.Abs(dy) <= r * 0.85,
        // Upward triangle with apex at −r and base at +0.7r, wider than it is tall.
        "triangle" => dy >= -r && dy <= 0.7 * r && Math.Abs(dx) <= (dy + r) / 1.2,
        _ => false,
    };
}
