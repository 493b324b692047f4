namespace HelpGen;

/// <summary>
/// One cmdlet's help source: module/help/Verb-Noun.md with "## Synopsis", "## Description", "## Parameters" (a "### -Name"
/// heading per parameter), "## Examples" (a "### Title" heading, a ```powershell block, then remarks) and "## Related Links"
/// (a "- Name" line per command or about_ topic).
/// A parameter's paragraph that starts with "Default value: " is its default value in Get-Help's parameter table.
/// </summary>
internal sealed record HelpMarkdown(
    string Name,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters,
    IReadOnlyList<(string Title, string Code, IReadOnlyList<string> Remarks)> Examples,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> RelatedLinks)
{
    public const string DefaultValuePrefix = "Default value: ";

    /// <summary>This help with every parameter the cmdlet has but this file does not describe taken from the shared descriptions.</summary>
    public HelpMarkdown WithSharedParameters(CmdletMetadata cmdlet, IReadOnlyDictionary<string, IReadOnlyList<string>> shared)
    {
        var merged = new Dictionary<string, IReadOnlyList<string>>(Parameters, StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in cmdlet.Parameters)
        {
            if (!merged.ContainsKey(parameter.Name) && shared.TryGetValue(parameter.Name, out var text))
            {
                merged[parameter.Name] = text;
            }
        }
        return this with { Parameters = merged };
    }

    public static HelpMarkdown Parse(string path)
    {
        var lines = File.ReadAllLines(path);
        var name = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim()
            ?? throw new FormatException($"{path}: the first heading must be '# Verb-Noun'.");
        var sections = Split(lines, "## ");
        string Section(string title) => sections.TryGetValue(title, out var body) ? body : "";
        var parameters = Split(Section("Parameters").Split('\n'), "### ")
            .ToDictionary(kv => kv.Key.TrimStart('-'), kv => Paragraphs(kv.Value), StringComparer.OrdinalIgnoreCase);
        var examples = Split(Section("Examples").Split('\n'), "### ").Select(kv =>
        {
            var body = kv.Value;
            int start = body.IndexOf("```powershell", StringComparison.Ordinal);
            int end = start < 0 ? -1 : body.IndexOf("```", start + 13, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new FormatException($"{path}: example '{kv.Key}' needs a ```powershell code block.");
            }
            return (kv.Key, body[(start + 13)..end].Trim('\n', '\r'), Paragraphs(body[(end + 3)..]));
        }).ToList();
        return new HelpMarkdown(name, string.Join(" ", Paragraphs(Section("Synopsis"))), Paragraphs(Section("Description")),
            parameters, examples, Paragraphs(Section("Notes")),
            Section("Related Links").Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).Select(l => l[2..].Trim()).ToList());
    }

    // Headings of one level, in order, with the text under each (up to the next heading of that level or above).
    private static Dictionary<string, string> Split(IEnumerable<string> lines, string marker)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? current = null;
        var body = new List<string>();
        bool inCode = false;
        foreach (var line in lines.Append(marker + "\u0000end"))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }
            if (!inCode && line.StartsWith(marker, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    result[current] = string.Join("\n", body);
                }
                current = line[marker.Length..].Trim();
                body.Clear();
            }
            else if (current is not null)
            {
                body.Add(line);
            }
        }
        return result;
    }

    // Blank-line separated paragraphs, each joined to one line.
    private static IReadOnlyList<string> Paragraphs(string text) =>
        text.Replace("\r", "").Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => string.Join(" ", p.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            .Where(p => p.Length > 0)
            .ToList();
}
