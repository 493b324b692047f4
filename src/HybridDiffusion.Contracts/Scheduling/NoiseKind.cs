namespace HybridDiffusion.Contracts.Scheduling;

/// <summary>Which generator a request's seeds drive.</summary>
public enum NoiseKind
{
    /// <summary>The engine's own fast stream (xoshiro256**, polar method): the default.</summary>
    Fast,

    /// <summary>PyTorch's CPU generator: a seed gives the latents torch.randn gives diffusers (and ComfyUI's CPU noise).</summary>
    Torch,
}
