using System.Text;

namespace HybridDiffusion.Core.Sampling;

/// <summary>File names for generated images: "{prompt-slug}-{mode}-{seed}.png", unique within a request.
/// Its <see cref="Slug"/> also names the analysis layer's files, so every file of a prompt shares its spelling.</summary>
public sealed class OutputNaming
{
    private const int MaxSlugLength = 48;
    private readonly HashSet<string>? _used;

    /// <param name="namesMayRepeat">Whether two images of the request can get the same name; when not, names are not
    /// remembered, so a long run's memory does not grow with its images.</param>
    public OutputNaming(bool namesMayRepeat) => _used = namesMayRepeat ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null;

    /// <summary>True when prompts share a slug, or a mode or seed is repeated.</summary>
    public static bool NamesMayRepeat(GenerationRequest request)
    {
        var seeds = request.ImageSeeds;
        return request.Prompts.Select(Slug).Distinct(StringComparer.OrdinalIgnoreCase).Count() < request.Prompts.Count
            || request.Modes.Distinct().Count() < request.Modes.Count
            || (seeds is not SeedRange && seeds.Distinct().Count() < seeds.Count);
    }

    public string NameFor(string prompt, GenerationMode mode, long seed)
    {
        var stem = $"{Slug(prompt)}-{mode.ToString().ToLowerInvariant()}-{seed}";
        var name = stem + ".png";
        for (int n = 2; _used is not null && !_used.Add(name); n++)
        {
            name = $"{stem}-{n}.png";
        }
        return name;
    }

    /// <summary>
    /// Lower-case ASCII letters and digits, other runs of characters as one '-'. A minus sign that starts a number
    /// becomes "minus", so that "@-1.5" and "@1.5" (a slider's strengths) name different files.
    /// </summary>
    public static string Slug(string prompt)
    {
        var slug = new StringBuilder();
        var text = prompt.ToLowerInvariant();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && (i == 0 || !char.IsAsciiLetterOrDigit(text[i - 1])))
            {
                slug.Append(slug.Length > 0 && slug[^1] != '-' ? "-minus" : "minus");
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
        var name = slug.ToString(0, Math.Min(slug.Length, MaxSlugLength)).Trim('-');
        return name.Length == 0 ? "image" : name;
    }
}
