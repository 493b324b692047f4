namespace HybridDiffusion.Contracts.Demo;

/// <summary>Where the demo pair lives on disk (what Get-HybridDemoModel returns, so it lives with the contracts).</summary>
/// <param name="EmbeddingModel">A small image-embedding model for the Embedding diversity metric.</param>
/// <param name="WarmthSlider">A slider (kohya safetensors) that moves the demo pair's scenes towards warm or cool colours.</param>
public sealed record DemoModelPaths(string BaseModel, string DistilledModel, string EmbeddingModel, string WarmthSlider);
