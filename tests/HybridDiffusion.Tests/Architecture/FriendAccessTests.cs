using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace HybridDiffusion.Tests.Architecture;

/// <summary>
/// Each layer's public API is its boundary: a src assembly lets only the test, fixture and benchmark assemblies see its
/// internals. The grants are read from the built assemblies' <see cref="InternalsVisibleToAttribute"/>s, so however a
/// project file spells them, a grant to another layer fails here with its grantor and grantee.
/// </summary>
public sealed class FriendAccessTests
{
    private static readonly string[] TestAssemblies = ["HybridDiffusion.Tests", "HybridDiffusion.Fixtures", "HybridDiffusion.Benchmarks"];

    public static TheoryData<string> SourceAssemblies
    {
        get
        {
            // Every project under src/, by the assembly name it builds (the CLI's is "hybrid"), so a new layer is covered.
            var names = new TheoryData<string>();
            foreach (var project in Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories))
            {
                var assemblyName = XDocument.Load(project).Descendants("AssemblyName").FirstOrDefault()?.Value;
                names.Add(assemblyName ?? Path.GetFileNameWithoutExtension(project));
            }
            return names;
        }
    }

    [Theory]
    [MemberData(nameof(SourceAssemblies))]
    public void ASourceAssemblyGrantsItsInternalsToTestAssembliesOnly(string assemblyName)
    {
        var grants = FriendGrantsOutsideTests(Assembly.Load(assemblyName));
        Assert.True(grants.Count == 0,
            $"Internals are visible to assemblies that are not tests: {string.Join("; ", grants)}. " +
            "Make what that layer needs public API of its owner (or move it to the layer that owns it).");
    }

    [Fact]
    public void TheRuleNamesAGrantToAnotherLayer()
    {
        var probe = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("HybridDiffusion.FriendProbe"), AssemblyBuilderAccess.Run);
        foreach (var grantee in new[] { "HybridDiffusion.Analysis", "HybridDiffusion.Tests", "HybridDiffusion.Demo, PublicKey=0024" })
        {
            probe.SetCustomAttribute(new CustomAttributeBuilder(
                typeof(InternalsVisibleToAttribute).GetConstructor([typeof(string)])!, [grantee]));
        }

        Assert.Equal(
            ["HybridDiffusion.FriendProbe -> HybridDiffusion.Analysis", "HybridDiffusion.FriendProbe -> HybridDiffusion.Demo"],
            FriendGrantsOutsideTests(probe));
    }

    /// <summary>"grantor -> grantee" for each grant to an assembly that is not a test, fixture or benchmark assembly.</summary>
    private static List<string> FriendGrantsOutsideTests(Assembly grantor) =>
        grantor.GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(grant => grant.AssemblyName.Split(',')[0].Trim()) // a strong name adds ", PublicKey=..."
            .Where(grantee => !TestAssemblies.Contains(grantee, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(grantee => $"{grantor.GetName().Name} -> {grantee}")
            .ToList();

    private static string RepositoryRoot() => CmdletMetadata.Metadata("RepositoryRoot");
}
