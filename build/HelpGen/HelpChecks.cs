namespace HelpGen;

/// <summary>What a cmdlet's help must contain to ship.</summary>
internal static class HelpChecks
{
    public static IEnumerable<string> Problems(CmdletMetadata cmdlet, HelpMarkdown help, IReadOnlyDictionary<string, IReadOnlyList<string>> shared, string path)
    {
        if (!string.Equals(help.Name, cmdlet.Name, StringComparison.Ordinal))
        {
            yield return $"{path}: the heading says '{help.Name}', the cmdlet is '{cmdlet.Name}'.";
        }
        if (string.IsNullOrWhiteSpace(help.Synopsis))
        {
            yield return $"{cmdlet.Name}: the Synopsis is empty.";
        }
        if (help.Description.Count == 0)
        {
            yield return $"{cmdlet.Name}: the Description is empty.";
        }
        if (help.Examples.Count == 0)
        {
            yield return $"{cmdlet.Name}: no examples.";
        }
        if (help.RelatedLinks.Count == 0)
        {
            yield return $"{cmdlet.Name}: no related links (add '- Name' lines under '## Related Links' in {path}).";
        }
        var described = help.WithSharedParameters(cmdlet, shared).Parameters;
        foreach (var parameter in cmdlet.Parameters.Where(p => !described.TryGetValue(p.Name, out var text) || text.Count == 0))
        {
            yield return $"{cmdlet.Name}: parameter -{parameter.Name} is not described (add '### -{parameter.Name}' under '## Parameters' in {path} or Shared-Parameters.md).";
        }
        foreach (var parameter in cmdlet.Parameters.Where(p => !p.IsSwitch && p.Sets.Any(s => !s.Mandatory)
            && described.TryGetValue(p.Name, out var text) && !text.Any(t => t.StartsWith(HelpMarkdown.DefaultValuePrefix, StringComparison.Ordinal))))
        {
            yield return $"{cmdlet.Name}: parameter -{parameter.Name} has no default value (add a paragraph '{HelpMarkdown.DefaultValuePrefix}...' to its description).";
        }
        foreach (var stale in help.Parameters.Keys.Where(k => cmdlet.Parameters.All(p => !string.Equals(p.Name, k, StringComparison.OrdinalIgnoreCase))))
        {
            yield return $"{cmdlet.Name}: the help describes -{stale}, which the cmdlet does not have.";
        }
    }
}
