using HybridDiffusion.Contracts.Demo;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests.Support;

/// <summary>The demo pair, written once per test run into a folder of the test run's own.</summary>
public static class DemoPair
{
    private static readonly Lazy<DemoModelPaths> s_paths = new(() =>
        DemoModels.EnsureInstalled(root: Path.Combine(Path.GetTempPath(), "hybrid-diffusion-tests", $"demo-v{DemoModels.Version}")));

    public static DemoModelPaths Paths => s_paths.Value;

    public static GenerationRequest Request(string prompt, GenerationMode mode, IEnumerable<long> seeds, GenerationSettings? settings = null) => new()
    {
        Prompts = new[] { prompt },
        Modes = new[] { mode },
        Seeds = seeds.ToArray(),
        Settings = settings ?? new GenerationSettings(),
        BaseModel = Paths.BaseModel,
        DistilledModel = Paths.DistilledModel,
    };

    public static List<GeneratedImage> Generate(string prompt, GenerationMode mode, IEnumerable<long> seeds, GenerationSettings? settings = null) =>
        TestEngine.Shared.Generate(Request(prompt, mode, seeds, settings)).ToList();
}
