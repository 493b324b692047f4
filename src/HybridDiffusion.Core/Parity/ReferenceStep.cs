namespace HybridDiffusion.Core.Parity;

/// <summary>One recorded step of a reference case: what diffusers fed its UNet and what each stage gave.</summary>
public sealed record ReferenceStep(
    int Index,
    double Timestep,
    ModelRole Model,
    NpyArray EncoderHiddenStates,
    NpyArray? TextEmbeds,
    NpyArray? TimeIds,
    NpyArray? TimestepCond,
    NpyArray UNetOutput,
    NpyArray PrevSample,
    NpyArray PredictedOriginal);
