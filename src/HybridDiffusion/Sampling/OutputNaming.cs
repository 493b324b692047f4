using System.Text;

namespace HybridDiffusion.Sampling;

/// <summary>File names for generated images: "{prompt-slug}-{mode}-{seed}.png", unique within a request.</summary>
internal sealed class OutputNaming
{
    private const int MaxSlugLength = 48;
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public string NameFor(string prompt, GenerationMode mode, long seed)
    {
        var stem = $"{Slug(prompt)}-{mode.ToString().ToLowerInvariant()}-{seed}";
        var name = stem + ".png";
        for (int n = 2; !_used.Add(name); n++)
        {
            name = $"{stem}-{n}.png";
        }
        return name;
    }

    internal static string Slug(string prompt)
    {
        var slug = new StringBuilder();
        foreach (var c in prompt.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
            if (slug.Length >= MaxSlugLength)
            {
                break;
            }
        }
        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? "image" : text;
    }
}
