namespace HybridDiffusion.Core.Scheduling;

/// <summary>Turns a model output into the predicted clean sample x̂0 and noise ε at ᾱ_t, per prediction type.</summary>
internal static class PredictionMath
{
    public static void Split(PredictionType type, double alphaProd, ReadOnlySpan<float> sample, ReadOnlySpan<float> output,
        Span<float> original, Span<float> epsilon)
    {
        float sa = (float)Math.Sqrt(alphaProd), sb = (float)Math.Sqrt(1 - alphaProd);
        switch (type)
        {
            case PredictionType.Epsilon:
                // x̂0 = (x − √(1−ᾱ)·ε) / √ᾱ
                output.CopyTo(epsilon);
                TensorPrimitives.MultiplyAdd(output, -sb, sample, original);
                TensorPrimitives.Multiply(original, 1f / sa, original);
                break;
            case PredictionType.VPrediction:
                // x̂0 = √ᾱ·x − √(1−ᾱ)·v ;  ε = √ᾱ·v + √(1−ᾱ)·x
                TensorPrimitives.Multiply(sample, sa, original);
                TensorPrimitives.MultiplyAdd(output, -sb, original, original);
                TensorPrimitives.Multiply(sample, sb, epsilon);
                TensorPrimitives.MultiplyAdd(output, sa, epsilon, epsilon);
                break;
            case PredictionType.Sample:
                // ε = (x − √ᾱ·x̂0) / √(1−ᾱ)
                output.CopyTo(original);
                TensorPrimitives.MultiplyAdd(output, -sa, sample, epsilon);
                TensorPrimitives.Multiply(epsilon, 1f / sb, epsilon);
                break;
        }
    }

    /// <summary>Clamps x̂0 to [−range, range] (diffusers' clip_sample).</summary>
    public static void Clip(Span<float> values, float range)
    {
        TensorPrimitives.Min(values, range, values);
        TensorPrimitives.Max(values, -range, values);
    }
}
