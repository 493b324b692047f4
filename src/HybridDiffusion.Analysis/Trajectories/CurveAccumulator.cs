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

    public void Add(string label, IReadOnlyList<TrajectoryStep> run) =>
        Add(label, run.Select(s => (s.StepIndex, s.FractionDone, s.DistanceToFinal)).ToList());

    /// <summary>A run as (step, fraction of steps done, distance to the final image), as a study's records keep it.</summary>
    public void Add(string label, IReadOnlyList<(int StepIndex, double FractionDone, double Distance)> run)
    {
        if (!_sums.TryGetValue(label, out var steps))
        {
            _sums[label] = steps = new SortedDictionary<int, (double, double, double, int)>();
            _order.Add(label);
        }
        foreach (var (index, fraction, distance) in run)
        {
            var (_, sum, squares, count) = steps.GetValueOrDefault(index);
            steps[index] = (fraction, sum + distance, squares + distance * distance, count + 1);
        }
        double reached = run.FirstOrDefault(s => s.Distance <= _threshold) is { FractionDone: > 0 } first ? first.FractionDone : 1.0;
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
