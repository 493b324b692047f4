namespace HybridDiffusion.Contracts.Scheduling;

/// <summary>
/// The schedulers a request or a plan segment can ask for by name instead of the one a model folder names; each
/// keeps the model's noise schedule. Users spell them as <see cref="SchedulerKinds.Name"/> gives them.
/// </summary>
public enum SchedulerKind
{
    /// <summary>diffusers' DDIMScheduler ("ddim").</summary>
    Ddim,

    /// <summary>diffusers' LCMScheduler ("lcm").</summary>
    Lcm,

    /// <summary>diffusers' EulerDiscreteScheduler ("euler").</summary>
    Euler,

    /// <summary>diffusers' EulerAncestralDiscreteScheduler ("euler-ancestral").</summary>
    EulerAncestral,
}
