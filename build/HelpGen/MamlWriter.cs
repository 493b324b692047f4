using System.Xml.Linq;

namespace HelpGen;

/// <summary>Writes PowerShell's MAML help XML from cmdlet metadata and its markdown help.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<(CmdletMetadata Cmdlet, HelpMarkdown Help)> commands) =>
        new(new XDeclaration("1.0", "utf-8", null), new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            commands.Select(c => CommandElement(c.Cmdlet, c.Help))));

    private static XElement CommandElement(CmdletMetadata cmdlet, HelpMarkdown help)
    {
        var sets = cmdlet.Parameters.SelectMany(p => p.Sets.Select(s => s.Set)).Where(s => s != CmdletMetadata.AllSets).Distinct().ToList();
        if (sets.Count == 0)
        {
            sets.Add(CmdletMetadata.AllSets);
        }
        // The default set's syntax first, as Get-Help shows it.
        sets = sets.OrderBy(s => s == cmdlet.DefaultSet ? 0 : 1).ToList();
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description(new[] { help.Synopsis })),
            Description(help.Description),
            new XElement(Command + "syntax", sets.Select(set => new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", cmdlet.Name),
                cmdlet.Parameters.Where(p => p.Sets.Any(s => s.Set == set || s.Set == CmdletMetadata.AllSets))
                    .Select(p => ParameterElement(p, help, set))))),
            new XElement(Command + "parameters", cmdlet.Parameters.Select(p => ParameterElement(p, help, null))),
            new XElement(Command + "inputTypes", InputTypes(cmdlet)),
            new XElement(Command + "returnValues", cmdlet.OutputTypes.Select(t => new XElement(Command + "returnValue",
                new XElement(Dev + "type", new XElement(Maml + "name", t))))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", help.Notes.Select(n => new XElement(Maml + "para", n)))),
            new XElement(Command + "examples", help.Examples.Select((e, i) => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- Example {i + 1}: {e.Title} --------------------------"),
                new XElement(Dev + "code", e.Code),
                new XElement(Dev + "remarks", e.Remarks.Select(r => new XElement(Maml + "para", r)))))),
            new XElement(Command + "relatedLinks", help.RelatedLinks.Select(link => new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", link), new XElement(Maml + "uri")))));
    }

    private static XElement ParameterElement(ParameterMetadata parameter, HelpMarkdown help, string? set)
    {
        var binding = parameter.Sets.FirstOrDefault(s => set is null || s.Set == set || s.Set == CmdletMetadata.AllSets);
        var pipeline = (binding.ByValue, binding.ByPropertyName) switch
        {
            (true, true) => "True (ByValue, ByPropertyName)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        };
        var text = help.Parameters[parameter.Name];
        var defaultValue = parameter.IsSwitch ? "False"
            : binding.Mandatory ? "None"
            : text.FirstOrDefault(p => p.StartsWith(HelpMarkdown.DefaultValuePrefix, StringComparison.Ordinal))?[HelpMarkdown.DefaultValuePrefix.Length..].Trim();
        return new XElement(Command + "parameter",
            new XAttribute("required", binding.Mandatory ? "true" : "false"),
            new XAttribute("globbing", parameter.Wildcards ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", binding.Position?.ToString() ?? "named"),
            new XElement(Maml + "name", parameter.Name),
            Description(text.Where(p => !p.StartsWith(HelpMarkdown.DefaultValuePrefix, StringComparison.Ordinal))),
            parameter.IsSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), parameter.TypeName),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.FullTypeName)),
            new XElement(Dev + "defaultValue", defaultValue));
    }

    // INPUTS: the types that bind from the pipeline by value, and the property names that bind by name.
    private static IEnumerable<XElement> InputTypes(CmdletMetadata cmdlet)
    {
        var byValue = cmdlet.Parameters.Where(p => p.Sets.Any(s => s.ByValue))
            .Select(p => (Type: p.FullTypeName.TrimEnd('[', ']'), Text: $"Objects piped to -{p.Name}."));
        var byName = cmdlet.Parameters.Where(p => p.Sets.Any(s => s.ByPropertyName))
            .Select(p => (Type: "System.Management.Automation.PSObject", Text: $"Objects with a {p.Name} property bind it to -{p.Name}."));
        return byValue.Concat(byName).Select(input => new XElement(Command + "inputType",
            new XElement(Dev + "type", new XElement(Maml + "name", input.Type)),
            Description(new[] { input.Text })));
    }

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", paragraphs.Select(p => new XElement(Maml + "para", p)));
}
