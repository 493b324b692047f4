using System.Runtime.CompilerServices;
using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using HybridDiffusion.Core.Sampling;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using static ArchUnitNET.Fluent.Slices.SliceRuleDefinition;

namespace HybridDiffusion.Tests.Architecture;

// ArchUnitNET's type, which the namespace of this folder would hide.
using Architecture = ArchUnitNET.Domain.Architecture;

/// <summary>
/// The layers hold in the built assemblies: Contracts &lt;- Core &lt;- Analysis &lt;- faces and Demo &lt;- faces, the faces
/// apart, no namespace cycle, and every type under its assembly's namespace. The layer rules name layers by namespace,
/// which the last rule ties to the assemblies; that lets the probe tests add a type from this assembly to a layer and
/// show that the same rules reject a reverse dependency.
/// </summary>
public sealed class ArchitectureTests
{
    private sealed record Layer(string Name, string Assembly, string[] MayNotReach)
    {
        public string Namespace => "HybridDiffusion." + Name;
    }

    private static readonly Layer[] Layers =
    [
        new("Contracts", "HybridDiffusion.Contracts", ["Core", "Analysis", "Demo", "Cli", "PowerShell"]),
        new("Core", "HybridDiffusion.Core", ["Analysis", "Demo", "Cli", "PowerShell"]),
        new("Analysis", "HybridDiffusion.Analysis", ["Demo", "Cli", "PowerShell"]),
        new("Demo", "HybridDiffusion.Demo", ["Analysis", "Cli", "PowerShell"]),
        new("Cli", "hybrid", ["PowerShell"]), // the CLI's assembly is named after its command
        new("PowerShell", "HybridDiffusion.PowerShell", ["Cli"]),
    ];

    private static readonly System.Reflection.Assembly[] Production =
        Layers.Select(layer => System.Reflection.Assembly.Load(layer.Assembly)).ToArray();

    private static readonly Architecture ProductionOnly = new ArchLoader().LoadAssemblies(Production).Build();

    private static readonly Architecture ProductionWithProbe = new ArchLoader().LoadAssemblies(Production)
        .LoadNamespacesWithinAssembly(typeof(ReverseDependencyProbe).Assembly, typeof(ReverseDependencyProbe).Namespace!)
        .Build();

    // ArchUnitNET 0.13.5 makes every namespace under the prefix its own slice (for cycles "(*)" slices no coarser), so
    // this covers namespaces inside one assembly and across assemblies alike.
    private static readonly IArchRule NoNamespaceCycle = Slices().Matching("HybridDiffusion.(**)").Should().BeFreeOfCycles();

    public static TheoryData<string> LayerNames => new(Layers.Select(layer => layer.Name));

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void LayerReachesNoLayerAboveOrBesideIt(string layer) => StaysInItsLayer(layer).Check(ProductionOnly);

    [Fact]
    public void NamespacesFormNoCycle() => NoNamespaceCycle.Check(ProductionOnly);

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void TypesLiveUnderTheirLayersNamespace(string layer) =>
        Types().That().ResideInAssembly(System.Reflection.Assembly.Load(Find(layer).Assembly))
            .And().DoNotHaveAnyAttributes(typeof(CompilerGeneratedAttribute)) // the CLI's top-level Program is global
            .Should().ResideInNamespaceOrBelow(Find(layer).Namespace)
            .Check(ProductionOnly);

    [Fact]
    public void TheLayerRuleRejectsACoreTypeReachingIntoAnalysis()
    {
        var failure = Assert.Throws<FailedArchRuleException>(() => StaysInItsLayer("Core").Check(ProductionWithProbe));
        Assert.Contains(typeof(ReverseDependencyProbe).FullName!, failure.Message);
    }

    [Fact]
    public void TheCycleRuleRejectsACoreTypeReachingIntoAnalysis()
    {
        var failure = Assert.Throws<FailedArchRuleException>(() => NoNamespaceCycle.Check(ProductionWithProbe));
        Assert.Contains(typeof(ReverseDependencyProbe).FullName!, failure.Message);
    }

    private static IArchRule StaysInItsLayer(string name)
    {
        var layer = Find(name);
        var outOfReach = layer.MayNotReach.Select(Find).ToArray();
        var outOfReachTypes = outOfReach.Skip(1)
            .Aggregate(InLayer(outOfReach[0]), (types, other) => types.Or().ResideInNamespaceOrBelow(other.Namespace));
        return InLayer(layer).Should().NotDependOnAny(outOfReachTypes);
    }

    private static GivenTypesConjunction InLayer(Layer layer) => Types().That().ResideInNamespaceOrBelow(layer.Namespace);

    private static Layer Find(string name) => Layers.Single(layer => layer.Name == name);
}
