namespace HybridDiffusion.Core.Sampling;

/// <summary>One image of a batch: its latent (moved on in place) and its own noise stream.</summary>
internal readonly record struct LatentRow(float[] Latent, INoiseSource Noise);
