using HybridDiffusion.Contracts.Imaging;

namespace HybridDiffusion.Contracts.Sampling;

/// <summary>One step of a generation: the clean image x̂0 that step predicted, and how far it is from the run's final image.</summary>
public sealed record TrajectoryStep
{
    public required string Prompt { get; init; }
    public required long Seed { get; init; }
    public required GenerationMode Mode { get; init; }
    public required string Plan { get; init; }

    /// <summary>The model that ran this step.</summary>
    public required ModelRole Model { get; init; }

    /// <summary>0-based position in the plan.</summary>
    public required int StepIndex { get; init; }

    /// <summary>The step's number, counted from 1 as both faces show it (progress, file names, tables, JSON).</summary>
    public int Step => StepIndex + 1;

    public required int StepCount { get; init; }
    public required int Timestep { get; init; }

    /// <summary>x̂0 decoded by the VAE.</summary>
    public required RgbImage Image { get; init; }

    /// <summary>RMS pixel distance (pixels in [0, 1]) from x̂0 to the run's final image.</summary>
    public required double DistanceToFinal { get; init; }

    /// <summary>1 − cosine similarity of embeddings, when an embedding model was given.</summary>
    public double? EmbeddingDistanceToFinal { get; init; }

    /// <summary>Fraction of the plan's steps done after this one: Step / StepCount.</summary>
    public double FractionDone => Step / (double)StepCount;

    /// <summary>The PNG written for this step, if any.</summary>
    public string? Path { get; init; }
}
