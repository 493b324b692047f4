namespace HybridDiffusion.Analysis.Diversity;

/// <summary>One image to measure, with the properties it can be grouped by (PNG text chunks, or a generated image's settings).</summary>
public sealed class DiversitySample
{
    private readonly RgbImage? _image;

    public DiversitySample(string label, RgbImage image, IReadOnlyDictionary<string, string>? properties = null, string? path = null)
        : this(label, image.Width, image.Height, properties, path)
    {
        _image = image;
    }

    private DiversitySample(string label, int width, int height, IReadOnlyDictionary<string, string>? properties, string? path)
    {
        Label = label;
        Width = width;
        Height = height;
        Path = path;
        Properties = new Dictionary<string, string>(properties ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>How the image is named in reports: its file name, or mode and seed for an in-memory image.</summary>
    public string Label { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// The pixels: an in-memory image's own, or a PNG file's, read again at each access. A sample read from a file keeps
    /// only its size and text, so a folder of thousands of images is held a group at a time, not all at once.
    /// </summary>
    public RgbImage Image => _image ?? PngDecoder.Decode(Path!).Image;

    public string? Path { get; }

    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>
    /// Reads a PNG whole, so a damaged file is refused now, before any group is measured; its tEXt/iTXt entries
    /// (Prompt, Seed, Mode, ... when written by this tool) become properties, and its pixels are read again when needed.
    /// </summary>
    public static DiversitySample FromPng(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var content = PngDecoder.Decode(fullPath);
        var properties = new Dictionary<string, string>(content.Text, StringComparer.OrdinalIgnoreCase)
        {
            ["File"] = System.IO.Path.GetFileName(fullPath),
            ["Directory"] = System.IO.Path.GetDirectoryName(fullPath) ?? "",
        };
        return new DiversitySample(System.IO.Path.GetFileName(fullPath), content.Image.Width, content.Image.Height, properties, fullPath);
    }

    public static DiversitySample FromGenerated(GeneratedImage image)
    {
        var properties = image.Metadata().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        string label = image.Path is null ? $"{image.Mode.ToString().ToLowerInvariant()} {image.Seed}" : System.IO.Path.GetFileName(image.Path);
        return new DiversitySample(label, image.Image, properties, image.Path);
    }

    /// <summary>The value a sample is grouped by; null when it has no such property.</summary>
    public string? GroupKey(string property) => Properties.TryGetValue(property, out var value) ? value : null;
}
