namespace HybridDiffusion.Demo;

/// <summary>Draws demo scenes into the diffusion latent that the demo VAE decoder turns back into the picture.</summary>
internal static class DemoRaster
{
    private const int Supersample = 4;

    /// <summary>The diffusion-space latent [4, 16, 16] of a scene.</summary>
    public static float[] SceneLatent(DemoScene scene)
    {
        int n = DemoWorld.LatentSize;
        var latent = new float[DemoWorld.LatentChannels * n * n];
        var code = new Random(scene.CodeSeed);
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                var rgb = Colour(scene, x, y, n);
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

    /// <summary>The mean colour of latent pixel (x, y): the scene's supersampled coverage over the background.</summary>
    private static double[] Colour(DemoScene scene, int x, int y, int n)
    {
        if (scene.IsClock)
        {
            double face = Coverage("circle", scene.CentreX, scene.CentreY, DemoWorld.ClockRadius, x, y, n);
            double hand = Coverage(HandAt(scene.Hour), scene.CentreX, scene.CentreY, x, y, n);
            return Mix(Mix(Rgb(DemoWorld.Background), Rgb(DemoWorld.ClockFace), face), Rgb(DemoWorld.HandColour), hand);
        }
        var colour = DemoWorld.Colours.First(c => c.Name == scene.Colour);
        double radius = DemoWorld.Sizes.First(s => s.Name == scene.Size).Radius;
        return Mix(Rgb(DemoWorld.Background), Rgb((colour.R, colour.G, colour.B)), Coverage(scene.Shape, scene.CentreX, scene.CentreY, radius, x, y, n));
    }

    private static double[] Rgb((double R, double G, double B) colour) => new[] { colour.R, colour.G, colour.B };

    private static double[] Mix(double[] under, double[] over, double coverage) =>
        under.Select((u, c) => coverage * over[c] + (1 - coverage) * u).ToArray();

    private static double Coverage(string shape, double cx, double cy, double r, int px, int py, int n) =>
        Coverage((dx, dy) => Inside(shape, dx, dy, r), cx, cy, px, py, n);

    /// <summary>The clock's hand pointing at <paramref name="hour"/>: a bar from the centre, <see cref="DemoWorld.HandLength"/> long.</summary>
    private static Func<double, double, bool> HandAt(int hour)
    {
        double angle = hour * Math.PI / 6, ux = Math.Sin(angle), uy = -Math.Cos(angle);
        return (dx, dy) =>
        {
            double along = dx * ux + dy * uy;
            return along >= 0 && along <= DemoWorld.HandLength && Math.Abs(dy * ux - dx * uy) <= DemoWorld.HandHalfWidth;
        };
    }

    private static double Coverage(Func<double, double, bool> contains, double cx, double cy, int px, int py, int n)
    {
        int inside = 0;
        for (int sy = 0; sy < Supersample; sy++)
        {
            for (int sx = 0; sx < Supersample; sx++)
            {
                double x = (px + (sx + 0.5) / Supersample) / n;
                double y = (py + (sy + 0.5) / Supersample) / n;
                if (contains(x - cx, y - cy))
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
