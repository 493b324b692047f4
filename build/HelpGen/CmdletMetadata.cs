using System.Reflection;

namespace HelpGen;

/// <summary>A parameter as PowerShell binds it, read from the cmdlet assembly's attributes.</summary>
internal sealed record ParameterMetadata(string Name, string TypeName, string FullTypeName, bool IsSwitch, bool Wildcards,
    IReadOnlyList<(string Set, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName)> Sets);

/// <summary>A cmdlet's name, parameters and output types, read with MetadataLoadContext (nothing is executed).</summary>
internal sealed record CmdletMetadata(string Verb, string Noun, string? DefaultSet, bool SupportsShouldProcess,
    IReadOnlyList<ParameterMetadata> Parameters, IReadOnlyList<string> OutputTypes)
{
    public const string AllSets = "__AllParameterSets";

    public string Name => $"{Verb}-{Noun}";

    /// <summary>-WhatIf and -Confirm, which PowerShell adds to every cmdlet that supports ShouldProcess.</summary>
    private static readonly ParameterMetadata[] s_shouldProcessParameters = new[] { "WhatIf", "Confirm" }
        .Select(name => new ParameterMetadata(name, "SwitchParameter", "System.Management.Automation.SwitchParameter", IsSwitch: true, Wildcards: false,
            new[] { (AllSets, false, (int?)null, false, false) }))
        .ToArray();

    public static IReadOnlyList<CmdletMetadata> Read(string assemblyPath, string automationPath)
    {
        var paths = Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!, "*.dll"))
            .Append(automationPath)
            .GroupBy(Path.GetFileName).Select(g => g.First());
        var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        return assembly.GetTypes()
            .Select(t => (Type: t, Cmdlet: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "CmdletAttribute")))
            .Where(x => x.Cmdlet is not null && !x.Type.IsAbstract)
            .Select(x => (x.Type, x.Cmdlet, ShouldProcess: Named(x.Cmdlet!, "SupportsShouldProcess") as bool? ?? false))
            .Select(x => new CmdletMetadata(
                (string)x.Cmdlet!.ConstructorArguments[0].Value!,
                (string)x.Cmdlet.ConstructorArguments[1].Value!,
                Named(x.Cmdlet, "DefaultParameterSetName") as string,
                x.ShouldProcess,
                x.Type.GetProperties().Select(Parameter).OfType<ParameterMetadata>()
                    .Concat(x.ShouldProcess ? s_shouldProcessParameters : Array.Empty<ParameterMetadata>()).ToList(),
                x.Type.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute")
                    .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
                    .Select(v => ((Type)v.Value!).FullName!).ToList()))
            .OrderBy(c => c.Noun, StringComparer.Ordinal).ThenBy(c => c.Verb, StringComparer.Ordinal)
            .ToList();
    }

    private static ParameterMetadata? Parameter(PropertyInfo property)
    {
        var sets = property.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute").Select(a => (
            Set: Named(a, "ParameterSetName") as string ?? AllSets,
            Mandatory: Named(a, "Mandatory") as bool? ?? false,
            Position: Named(a, "Position") as int?,
            ByValue: Named(a, "ValueFromPipeline") as bool? ?? false,
            ByPropertyName: Named(a, "ValueFromPipelineByPropertyName") as bool? ?? false)).ToList();
        if (sets.Count == 0)
        {
            return null;
        }
        // Nullable.GetUnderlyingType compares with the runtime's Nullable<>, which a MetadataLoadContext type never is.
        var type = property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition().FullName == "System.Nullable`1"
            ? property.PropertyType.GetGenericArguments()[0]
            : property.PropertyType;
        return new ParameterMetadata(property.Name, type.Name, type.FullName ?? type.Name, type.Name == "SwitchParameter",
            property.GetCustomAttributesData().Any(a => a.AttributeType.Name == "SupportsWildcardsAttribute"), sets);
    }

    private static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.MemberName == name).TypedValue.Value;
}
