namespace HybridDiffusion.Analysis.Pictures;

/// <summary>An 8-bit colour.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(0, 0, 0);
    public static readonly Rgb Grey = new(128, 128, 128);
    public static readonly Rgb LightGrey = new(225, 225, 225);

    /// <summary>Linear blend: t = 0 gives this colour, t = 1 gives <paramref name="other"/>.</summary>
    public Rgb Mix(Rgb other, double t) => new(
        (byte)Math.Round(R + (other.R - R) * t), (byte)Math.Round(G + (other.G - G) * t), (byte)Math.Round(B + (other.B - B) * t));

    public string ToHex() => $"#{R:x2}{G:x2}{B:x2}";
}
