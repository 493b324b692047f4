namespace HybridDiffusion.Core.Parity;

/// <summary>One compared figure of a replay: max and mean absolute difference against diffusers, and its bound.</summary>
public sealed record ReferenceStage(string Name, ReferenceStageKind Kind, double MaxAbs, double MeanAbs)
{
    public double Tolerance => ReferenceTolerances.Of(Kind);

    public bool Passed => MaxAbs <= Tolerance;

    /// <summary>How much of its bound the difference uses (above 1 fails).</summary>
    public double Share => MaxAbs / Tolerance;

    public static ReferenceStage Compare(string name, ReferenceStageKind kind, ReadOnlySpan<float> engine, ReadOnlySpan<float> reference)
    {
        if (engine.Length != reference.Length)
        {
            throw new ArgumentException($"{name}: the engine gave {engine.Length} values, the case {reference.Length}.");
        }
        double max = 0, sum = 0;
        for (int i = 0; i < engine.Length; i++)
        {
            double difference = Math.Abs((double)engine[i] - reference[i]);
            // NaN compares false with everything: count it as the worst difference, never as a pass.
            if (double.IsNaN(difference))
            {
                difference = double.PositiveInfinity;
            }
            max = Math.Max(max, difference);
            sum += difference;
        }
        return new ReferenceStage(name, kind, max, engine.Length == 0 ? 0 : sum / engine.Length);
    }
}
