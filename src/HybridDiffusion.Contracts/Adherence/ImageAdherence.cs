namespace HybridDiffusion.Contracts.Adherence;

/// <summary>One image's judgement, with the name it is reported by and the prompt it was judged against.</summary>
public sealed record ImageAdherence(string Label, string Prompt, double Score, string? Scene);
