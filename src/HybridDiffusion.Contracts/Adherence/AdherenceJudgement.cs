namespace HybridDiffusion.Contracts.Adherence;

/// <summary>How well one image follows its prompt.</summary>
/// <param name="Score">CLIP score (0 to 100), or 1/0 for on/off the prompt (the demo measure).</param>
/// <param name="Scene">The demo scene the image shows ("none" when it shows none clearly); null for CLIP scores.</param>
public sealed record AdherenceJudgement(double Score, string? Scene = null);
