using HybridDiffusion.Fixtures;

namespace HybridDiffusion.Benchmarks;

/// <summary>
/// The sized SDXL-like fixture pairs the performance figures are measured on: a full base pipeline folder and a
/// UNet-only distilled folder (as DMD2 ships) with the same contract. Seeded, so every run writes the same models.
/// </summary>
internal static class BenchFixtures
{
    /// <summary>Name, UNet size, the text encoders' feature sizes (null: the fixtures' own), and what the pair is for.</summary>
    public static readonly (string Name, UNetContract UNet, (int, int)? EncoderDims, string Purpose)[] Kinds =
    {
        ("sdxl-heavy", ContractFixtures.SdxlUNet() with { Width = 128, Layers = 3 }, null,
            "≥ 20 ms per UNet step on a CPU at 512×512: orchestration overhead and hybrid ÷ distilled"),
        ("sdxl-batching", ContractFixtures.SdxlUNet() with { Width = 8, Layers = 32 }, null,
            "many small operators at 64×64, where fixed per-run costs dominate: batch throughput"),
        ("sdxl-300mb", ContractFixtures.SdxlUNet() with { BallastMB = 300, ExternalData = true }, null,
            "300 MB of weights per UNet in external data, little compute: sequential vs concurrent memory"),
        ("sdxl-sized", new UNetContract(2048, TimestepStyle.Float16Batch, PooledDim: 1280, Float16: true), (768, 1280),
            "SDXL's float16 conditioning sizes (text 768 + 1280, pooled 1280) around a small UNet: a full-size SDXL UNet " +
            "export can be named as the distilled model (scripts/gpu-check.sh does, with torch's)"),
    };

    public static (string Base, string Distilled) Write(string root, string kind)
    {
        var (name, unet, encoderDims, _) = Kinds.Single(k => k.Name == kind);
        var folder = Path.Combine(root, name);
        var baseFolder = ContractFixtures.Sdxl(folder, "base", unet, encoderDims);
        var distilled = ContractFixtures.UNetOnlyFolder(folder, "distilled", unet);
        return (baseFolder, distilled);
    }
}
