using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Keeps the latent x̂0 of every Nth step (and the last) while an image is denoised, then decodes them once the final
/// image is known. Only the kept latents are held, so memory grows with what is kept, not with the number of steps.
/// </summary>
internal sealed class TrajectoryRecorder
{
    private readonly int _every;
    private readonly int _stepCount;
    private readonly List<(ModelRole Model, int Index, int Timestep, float[] Latent)> _kept = new();

    public TrajectoryRecorder(int every, int stepCount)
    {
        _every = every;
        _stepCount = stepCount;
    }

    public void Record(in StepState state)
    {
        if (state.PlanStepIndex % _every == 0 || state.PlanStepIndex == _stepCount - 1)
        {
            _kept.Add((state.Segment.Model, state.PlanStepIndex, state.Step.DisplayTimestep, state.PredictedOriginal.ToArray()));
        }
    }

    public IReadOnlyList<TrajectoryStep> Decode(Func<ModelRole, VaeDecoder> vaeFor, int channels, int latentHeight, int latentWidth,
        RunOptions runOptions, GeneratedImage final, CancellationToken cancellation)
    {
        var finalPixels = UnitImage.From(final.Image);
        var steps = new List<TrajectoryStep>(_kept.Count);
        foreach (var (model, index, timestep, latent) in _kept)
        {
            cancellation.ThrowIfCancellationRequested();
            var image = vaeFor(model).Decode(latent, channels, latentHeight, latentWidth, runOptions);
            steps.Add(new TrajectoryStep
            {
                Prompt = final.Prompt,
                Seed = final.Seed,
                Mode = final.Mode,
                Plan = final.Plan,
                Model = model,
                StepIndex = index,
                StepCount = _stepCount,
                Timestep = timestep,
                Image = image,
                DistanceToFinal = PixelDistance.Rms(UnitImage.From(image), finalPixels),
            });
        }
        return steps;
    }
}
