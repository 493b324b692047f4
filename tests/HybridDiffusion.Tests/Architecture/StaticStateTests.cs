using HybridDiffusion.Analysis.Pictures;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Onnx;

namespace HybridDiffusion.Tests.Architecture;

/// <summary>
/// Issue 16: no process-global mutable state in the layers under the faces. An engine instance owns what it caches;
/// only a face decides to share one (the PowerShell module's SharedEngine, outside these assemblies).
/// </summary>
public sealed class StaticStateTests
{
    [Fact]
    public void CoreAnalysisDemoAndContractsHoldNoMutableStaticState()
    {
        var assemblies = new[]
        {
            typeof(HybridDiffusion.Contracts.HybridDiffusionException).Assembly, typeof(HybridEngine).Assembly,
            typeof(HybridDiffusion.Analysis.Diversity.DiversityAnalyzer).Assembly, typeof(HybridDiffusion.Demo.DemoModels).Assembly,
        };
        var found = MutableStatics.In(assemblies);
        Assert.True(found.Count == 0, "Static fields that can hold state (see MutableStatics for the rule):\n" + string.Join("\n", found));
    }

    [Fact]
    public void TheRuleReportsCachesFlagsCountersAndWritableTablesAndPassesConstantsAndImmutableTables()
    {
        Assert.Equal(new[] { "Cache", "Counter", "Flag", "Items", "Memo", "Table" }.Select(f => $"{typeof(Fixture).FullName}.{f}"),
            MutableStatics.Of(typeof(Fixture)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryListedExceptionStillNamesAFieldThatExists()
    {
        Assert.All(MutableStatics.Exceptions, e =>
        {
            var type = typeof(HybridEngine).Assembly.GetType(e.Type);
            Assert.NotNull(type?.GetField(e.Field, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic));
        });
    }

    /// <summary>What the rule must report (first group) and let pass (second group).</summary>
    private static class Fixture
    {
        public static int Counter = 0;
        public static bool Flag = false;
        public static readonly List<string> Items = new();
        public static readonly string[] Table = { "written by anyone" };
        public static readonly SessionCache Cache = new();
        public static readonly Lazy<string> Memo = new(() => "computed once, then kept");

        public const int Constant = 1;
        private static readonly string[] s_privateTable = { "read by this type only" };
        public static readonly Rgb Colour = new(1, 2, 3);
        public static readonly NullEngineLog Silent = NullEngineLog.Instance;
        public static IReadOnlyList<string> Names { get; } = new[] { "a", "b" };
        public static readonly (string Name, double Value) Pair = ("x", 1);

        public static int PrivateTableLength => s_privateTable.Length;
    }
}
