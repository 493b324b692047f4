namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// diffusers' Euler and Euler-ancestral schedulers in σ-space: σ = √((1−ᾱ)/ᾱ), the model sees x/√(σ²+1),
/// x̂0 = x − σ·ε, and x moves along (x − x̂0)/σ to the next σ (0 after the last step). The ancestral variant steps to
/// σ_down and adds fresh noise of σ_up, with σ_up = √(σ_next²(σ²−σ_next²)/σ²) and σ_down = √(σ_next²−σ_up²).
/// </summary>
internal sealed class EulerScheduler : DiffusionScheduler
{
    public EulerScheduler(SchedulerConfig config, bool ancestral) : base(config) => Ancestral = ancestral;

    public bool Ancestral { get; }

    public override string Name => Ancestral ? "EulerAncestral" : "Euler";

    public override LatentSpace Space => LatentSpace.SigmaScaled;

    /// <summary>σ at a timestep, interpolated between whole timesteps; 0 after the last step.</summary>
    public double SigmaAt(double timestep) => timestep < 0 ? 0 : Noise.SigmaAt(timestep);

    /// <summary>diffusers: σ_max for trailing and linspace spacing, √(σ_max²+1) for leading.</summary>
    public override float InitNoiseSigma(double timestep)
    {
        double sigma = SigmaAt(timestep);
        return (float)(Config.TimestepSpacing == "leading" ? Math.Sqrt(sigma * sigma + 1) : sigma);
    }

    /// <remarks>Linspace spacing keeps fractional timesteps (as float32, like diffusers); σ is interpolated at them.</remarks>
    public override Schedule CreateSchedule(int steps) =>
        Schedule.FromTimesteps(TimestepSpacing.Compute(Config.TimestepSpacing, steps, Config.NumTrainTimesteps, Config.StepsOffset, keepFractions: true),
            Config.NumTrainTimesteps);

    public override void ScaleModelInput(ScheduleStep step, ReadOnlySpan<float> sample, Span<float> destination)
    {
        double sigma = SigmaAt(step.Timestep);
        TensorPrimitives.Multiply(sample, (float)(1 / Math.Sqrt(sigma * sigma + 1)), destination);
    }

    public override void Step(ScheduleStep step, ReadOnlySpan<float> modelOutput, Span<float> sample, Span<float> predictedOriginal,
        Span<float> scratch, INoiseSource noise)
    {
        double sigma = SigmaAt(step.Timestep);
        double next = SigmaAt(step.IsLast ? -1 : step.PrevTimestep);
        PredictOriginal(sigma, modelOutput, sample, predictedOriginal);

        double target = next, up = 0;
        if (Ancestral)
        {
            up = Math.Sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
            target = Math.Sqrt(next * next - up * up);
        }
        // x ← x + (x − x̂0)/σ · (σ_target − σ)
        var derivative = scratch[..sample.Length];
        TensorPrimitives.Subtract(sample, predictedOriginal, derivative);
        TensorPrimitives.MultiplyAdd(derivative, (float)((target - sigma) / sigma), sample, sample);
        if (up > 0)
        {
            noise.Fill(derivative);
            TensorPrimitives.MultiplyAdd(derivative, (float)up, sample, sample);
        }
    }

    private void PredictOriginal(double sigma, ReadOnlySpan<float> output, ReadOnlySpan<float> sample, Span<float> original)
    {
        switch (Config.PredictionType)
        {
            case PredictionType.Epsilon:
                TensorPrimitives.MultiplyAdd(output, (float)-sigma, sample, original);
                break;
            case PredictionType.VPrediction:
                // x̂0 = −σ/√(σ²+1)·v + x/(σ²+1)
                TensorPrimitives.Multiply(sample, (float)(1 / (sigma * sigma + 1)), original);
                TensorPrimitives.MultiplyAdd(output, (float)(-sigma / Math.Sqrt(sigma * sigma + 1)), original, original);
                break;
            case PredictionType.Sample:
                output.CopyTo(original);
                break;
        }
    }
}
