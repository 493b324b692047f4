using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Trajectories;

namespace HybridDiffusion.Analysis.Trajectories;

/// <summary>Running sums per (mode, step) and per-run commitment fractions: constant memory in the number of runs.</summary>
internal sealed class CurveAccumulator
{
    private readonly double _threshold;
    private readonly Dictionary<string, SortedDictionary<int, (double Fraction, double Sum, double SumSquares, int Count)>> _sums = new();
    private readonly Dictionary<string, (double Sum, int Runs)> _runFractions = new();
    private readonly List<string> _order = new();

    public CurveAccumulator(double threshold) => _threshold = threshold;

    public void Add(string label, IReadOnlyList<TrajectoryStep> run)
    {
        if (!_sums.TryGetValue(label, out var steps))
        {
            _sums[label] = steps = new SortedDictionary<int, (double, double, double, int)>();
            _order.Add(label);
        }
        foreach (var step in run)
        {
            var (_, sum, squares, count) = steps.GetValueOrDefault(step.StepIndex);
            steps[step.StepIndex] = (step.FractionDone, sum + step.DistanceToFinal, squares + step.DistanceToFinal * step.DistanceToFinal, count + 1);
        }
        double reached = run.FirstOrDefault(s => s.DistanceToFinal <= _threshold)?.FractionDone ?? 1.0;
        var (total, runs) = _runFractions.GetValueOrDefault(label);
        _runFractions[label] = (total + reached, runs + 1);
    }

    public (IReadOnlyList<CommitmentCurve> Curves, IReadOnlyList<Commitment> Commitments) Result()
    {
        var curves = _order.Select(label => new CommitmentCurve(label, _sums[label].Select(kv =>
        {
            var (fraction, sum, squares, count) = kv.Value;
            double mean = sum / count;
            double variance = count > 1 ? Math.Max(0, (squares - count * mean * mean) / (count - 1)) : 0;
            return new CurvePoint(kv.Key, fraction, mean, Math.Sqrt(variance), count);
        }).ToList())).ToList();
        var commitments = curves.Select(c => new Commitment(c.Label, _threshold, c.FractionToReach(_threshold),
            _runFractions[c.Label].Sum / _runFractions[c.Label].Runs, _runFractions[c.Label].Runs)).ToList();
        return (curves, commitments);
    }
}
