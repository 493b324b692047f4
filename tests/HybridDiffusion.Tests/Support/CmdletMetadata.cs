using System.Reflection;
using System.Runtime.InteropServices;

namespace HybridDiffusion.Tests.Support;

/// <summary>
/// The cmdlet assembly as metadata (MetadataLoadContext): no PowerShell runtime exists in the test process, so cmdlets
/// and their parameters are read from attributes, as PowerShell would read them.
/// </summary>
internal sealed class CmdletMetadata : IDisposable
{
    public CmdletMetadata()
    {
        var sma = Directory.GetFiles(Metadata("PowerShellStandardDir"), "System.Management.Automation.dll", SearchOption.AllDirectories).First();
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .Append(sma);
        Context = new MetadataLoadContext(new PathAssemblyResolver(paths.GroupBy(Path.GetFileName).Select(g => g.First())));
        Cmdlets = Context.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "HybridDiffusion.PowerShell.dll"));
    }

    public MetadataLoadContext Context { get; }

    public Assembly Cmdlets { get; }

    /// <summary>Every cmdlet of the assembly with its [Cmdlet] attribute.</summary>
    public IEnumerable<(Type Type, CustomAttributeData Cmdlet)> All() =>
        Cmdlets.GetTypes()
            .Select(t => (t, t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "CmdletAttribute")))
            .Where(x => x.Item2 is not null && !x.t.IsAbstract)
            .Select(x => (x.t, x.Item2!));

    /// <summary>A cmdlet's name as PowerShell shows it (Verb-Noun).</summary>
    public static string Name(CustomAttributeData cmdlet) => $"{cmdlet.ConstructorArguments[0].Value}-{cmdlet.ConstructorArguments[1].Value}";

    public void Dispose() => Context.Dispose();

    public static string Metadata(string key) =>
        typeof(CmdletMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
