namespace HybridDiffusion.Contracts.Sampling;

/// <summary>How base and distilled models share the denoising steps.</summary>
public enum GenerationMode
{
    /// <summary>Base model for the first BaseSteps steps, then the distilled model, on the distilled model's scheduler.</summary>
    Hybrid,

    /// <summary>The distilled model alone (e.g. 4 steps).</summary>
    Distilled,

    /// <summary>The base model alone on its own scheduler (e.g. 50 DDIM steps).</summary>
    Base,

    /// <summary>The distilled model from pure noise, starting at its schedule's second timestep.</summary>
    SkipFirst,

    /// <summary>Distilled first, base after: the paper's causal control, which does not restore diversity.</summary>
    Reverse,

    /// <summary>An explicit plan of segments, e.g. "base:999;distilled:749,499,249".</summary>
    Plan,
}
