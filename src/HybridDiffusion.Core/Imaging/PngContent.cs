namespace HybridDiffusion.Core.Imaging;

/// <summary>A decoded PNG (what <see cref="PngDecoder"/> gives back): its pixels as RGB (alpha dropped) and its text chunks.</summary>
public sealed record PngContent(RgbImage Image, IReadOnlyDictionary<string, string> Text);
