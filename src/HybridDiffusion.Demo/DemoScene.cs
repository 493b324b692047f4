namespace HybridDiffusion.Demo;

/// <summary>
/// One picture of the demo data set: a coloured shape of some size at some place on a light background, and the seed of
/// the scene's identity code (a ±1 pattern in the latent channel the decoder does not draw).
/// </summary>
internal sealed record DemoScene(string Colour, string Shape, string Size, double CentreX, double CentreY, int CodeSeed, double Prior)
{
    public IEnumerable<string> Attributes => new[] { Colour, Shape, Size };

    public override string ToString() => $"{Size} {Colour} {Shape}";
}
