namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Hears every step of every row while <see cref="DenoisingLoop"/> runs a segment: the one way progress leaves the loop.
/// Generation's sink is <see cref="ProgressSink"/>; the parity replay compares each step with diffusers' through its own.
/// </summary>
internal interface IStepSink
{
    /// <summary>Called once per row after each step, on the loop's thread; must not keep the spans.</summary>
    void OnStep(in StepState state);
}
