using HybridDiffusion.Fixtures;

namespace HybridDiffusion.Benchmarks;

/// <summary>
/// The sized SDXL-like fixture pairs the performance figures are measured on: a full base pipeline folder and a
/// UNet-only distilled folder (as DMD2 ships) with the same contract. Seeded, so every run writes the same models.
/// </summary>
internal static class BenchFixtures
{
    /// <summary>Name, UNet size and what the pair is for.</summary>
    public static readonly (string Name, UNetContract UNet, string Purpose)[] Kinds =
    {
        ("sdxl-heavy", ContractFixtures.SdxlUNet() with { Width = 128, Layers = 3 },
            "≥ 20 ms per UNet step on a CPU at 512×512: orchestration overhead and hybrid ÷ distilled"),
        ("sdxl-batching", ContractFixtures.SdxlUNet() with { Width = 8, Layers = 32 },
            "many small operators at 64×64, where fixed per-run costs dominate: batch throughput"),
        ("sdxl-300mb", ContractFixtures.SdxlUNet() with { BallastMB = 300, ExternalData = true },
            "300 MB of weights per UNet in external data, little compute: sequential vs concurrent memory"),
    };

    public static (string Base, string Distilled) Write(string root, string kind)
    {
        var (name, unet, _) = Kinds.Single(k => k.Name == kind);
        var folder = Path.Combine(root, name);
        var baseFolder = ContractFixtures.Sdxl(folder, "base", unet);
        var distilled = ContractFixtures.UNetOnlyFolder(folder, "distilled", unet);
        return (baseFolder, distilled);
    }
}
