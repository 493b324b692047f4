using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HybridDiffusion.Tests.Support;

/// <summary>
/// The module's static rules as functions that return what breaks them, so the tests can run each rule on the real
/// module (no problems) and on a deliberately broken input (the problem is named).
/// </summary>
internal static class ModuleChecks
{
    /// <summary>Cmdlet classes among <paramref name="types"/> (read with MetadataLoadContext).</summary>
    public static IEnumerable<(Type Type, string Verb, string Noun)> Cmdlets(IEnumerable<Type> types) =>
        types.Select(t => (Type: t, Attribute: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "CmdletAttribute")))
            .Where(x => x.Attribute is not null && !x.Type.IsAbstract)
            .Select(x => (x.Type, (string)x.Attribute!.ConstructorArguments[0].Value!, (string)x.Attribute.ConstructorArguments[1].Value!));

    public static IEnumerable<string> CmdletProblems(IEnumerable<Type> types, ISet<string> approvedVerbs)
    {
        foreach (var (type, verb, noun) in Cmdlets(types))
        {
            if (!approvedVerbs.Contains(verb))
            {
                yield return $"{verb}-{noun}: '{verb}' is not an approved verb (Get-Verb).";
            }
            // Nouns in -ss and -us (Process, Status) are singular.
            if (noun.EndsWith('s') && !noun.EndsWith("ss", StringComparison.Ordinal) && !noun.EndsWith("us", StringComparison.Ordinal))
            {
                yield return $"{verb}-{noun}: the noun should be singular.";
            }
            if (!type.GetCustomAttributesData().Any(a => a.AttributeType.Name == "OutputTypeAttribute"))
            {
                yield return $"{verb}-{noun}: no [OutputType].";
            }
        }
    }

    public static IReadOnlyList<string> ManifestList(string manifest, string key) =>
        Regex.Match(manifest, key + @"\s*=\s*@\(([^)]*)\)").Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.Trim('\'', '"')).ToList();

    public static IEnumerable<string> ManifestProblems(string manifest, IEnumerable<string> declaredCmdlets)
    {
        var exported = ManifestList(manifest, "CmdletsToExport").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var declared = declaredCmdlets.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var missing in declared.Except(exported))
        {
            yield return $"The manifest's CmdletsToExport lacks {missing}, which the assembly declares.";
        }
        foreach (var extra in exported.Except(declared))
        {
            yield return $"The manifest's CmdletsToExport lists {extra}, which the assembly does not declare.";
        }
    }

    public static IEnumerable<string> FormatProblems(XDocument format, Func<string, Type?> resolve)
    {
        foreach (var view in format.Descendants("View"))
        {
            var name = view.Element("Name")?.Value;
            var typeName = view.Element("ViewSelectedBy")?.Element("TypeName")?.Value ?? "";
            // "Type#Variant" is the type with a name a cmdlet adds to select this view.
            if (resolve(typeName.Split('#')[0]) is not Type type)
            {
                yield return $"View '{name}' selects {typeName}, which does not exist.";
                continue;
            }
            if (view.Descendants("TableColumnHeader").Count() != view.Descendants("TableColumnItem").Count())
            {
                yield return $"View '{name}' has different numbers of headers and columns.";
            }
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value).Where(p => type.GetProperty(p) is null))
            {
                yield return $"View '{name}' shows {typeName}.{property}, which does not exist.";
            }
        }
    }

    public static IEnumerable<string> TypeProblems(XDocument types, Func<string, Type?> resolve)
    {
        foreach (var entry in types.Root!.Elements("Type"))
        {
            var typeName = entry.Element("Name")!.Value;
            if (resolve(typeName) is not Type type)
            {
                yield return $"Types file extends {typeName}, which does not exist.";
                continue;
            }
            foreach (var alias in entry.Descendants("AliasProperty"))
            {
                var target = alias.Element("ReferencedMemberName")!.Value;
                if (type.GetProperty(target) is null)
                {
                    yield return $"{typeName}.{alias.Element("Name")!.Value} aliases {target}, which does not exist.";
                }
            }
            foreach (var member in entry.Descendants("Name").Where(n => n.Parent!.Name != "Type").Select(n => n.Value).Where(n => type.GetProperty(n) is not null))
            {
                yield return $"{typeName}.{member} is added, but the type already has that property.";
            }
        }
    }

    public static IEnumerable<string> HelpProblems(XDocument maml, IEnumerable<(string Name, IEnumerable<string> Parameters)> cmdlets)
    {
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace maml2 = "http://schemas.microsoft.com/maml/2004/10";
        var entries = maml.Root!.Elements(command + "command")
            .ToDictionary(c => c.Element(command + "details")!.Element(command + "name")!.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, parameters) in cmdlets)
        {
            if (!entries.TryGetValue(name, out var entry))
            {
                yield return $"{name} has no help.";
                continue;
            }
            if (string.IsNullOrWhiteSpace(entry.Element(command + "details")!.Element(maml2 + "description")?.Value))
            {
                yield return $"{name} has no synopsis.";
            }
            if (!entry.Element(command + "examples")!.Elements(command + "example").Any())
            {
                yield return $"{name} has no examples.";
            }
            var described = entry.Element(command + "parameters")!.Elements(command + "parameter")
                .Where(p => p.Element(maml2 + "description")!.Value.Trim().Length > 0)
                .Select(p => p.Element(maml2 + "name")!.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in parameters.Where(p => !described.Contains(p)))
            {
                yield return $"{name} -{parameter} has no help.";
            }
        }
    }

    public static IEnumerable<string> Parameters(Type cmdlet) => cmdlet.GetProperties()
        .Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType.Name == "ParameterAttribute")).Select(p => p.Name);
}
