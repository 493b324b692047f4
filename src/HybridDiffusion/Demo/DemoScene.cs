namespace HybridDiffusion.Demo;

/// <summary>One picture of the demo data set: a coloured shape of some size at some place on a light background.</summary>
internal sealed record DemoScene(string Colour, string Shape, string Size, double CentreX, double CentreY, double Prior)
{
    public IEnumerable<string> Attributes => new[] { Colour, Shape, Size };

    public override string ToString() => $"{Size} {Colour} {Shape}";
}
