using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// Where the Gaussian noise of a run comes from: the initial latent and the fresh noise LCM and ancestral steps add.
/// Each call fills one tensor, in the order the run needs them (generators such as torch's draw per tensor, so a
/// call is one draw of that size, not a slice of a stream).
/// </summary>
public interface INoiseSource
{
    /// <summary>Fills <paramref name="destination"/> with the next tensor of standard normal values times <paramref name="scale"/>.</summary>
    void Fill(Span<float> destination, float scale = 1f);
}

/// <summary>The generator of a <see cref="NoiseKind"/>: <see cref="GaussianNoise"/> or <see cref="TorchNoise"/>.</summary>
internal static class NoiseSources
{
    public static INoiseSource Create(NoiseKind kind, long seed) => kind switch
    {
        NoiseKind.Fast => new GaussianNoise(seed),
        NoiseKind.Torch => new TorchNoise(seed),
        _ => throw HybridDiffusionException.Argument(SettingId.NoiseSource, $"Noise source {(int)kind} is not known; use Fast or Torch."),
    };
}
