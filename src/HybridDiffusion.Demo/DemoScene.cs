namespace HybridDiffusion.Demo;

/// <summary>
/// One picture of the demo data set: a coloured shape of some size at some place on a light background (or, with a
/// <see cref="Hour"/>: a clock whose one hand points at that hour), and the seed of the scene's identity code (a ±1 pattern in the latent channel the
/// decoder does not draw).
/// </summary>
internal sealed record DemoScene(string Colour, string Shape, string Size, double CentreX, double CentreY, int CodeSeed, double Prior, int Hour = 0)
{
    public bool IsClock => Shape == DemoWorld.Clock;

    /// <summary>What the prompt words can ask of the scene: a clock only as a clock, whatever time it shows.</summary>
    public IEnumerable<string> Attributes => IsClock ? new[] { DemoWorld.Clock } : new[] { Colour, Shape, Size };

    public override string ToString() => IsClock ? $"clock at {Hour} o'clock" : $"{Size} {Colour} {Shape}";
}
