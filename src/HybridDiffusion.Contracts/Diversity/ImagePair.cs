namespace HybridDiffusion.Contracts.Diversity;

/// <summary>Two images of a group and their distance.</summary>
public sealed record ImagePair(string First, string Second, double Distance);
