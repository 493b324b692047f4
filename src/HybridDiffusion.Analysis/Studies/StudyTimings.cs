namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// timings.json: per setting the sum and mean of its units' recorded times and the mean of their model calls (running
/// sums, so memory does not grow with the study), kept apart from the summary because the times differ from run to run.
/// </summary>
internal sealed class StudyTimings
{
    public const string Name = "timings.json";

    private readonly List<string> _order = new();
    private readonly Dictionary<string, (int Units, double ElapsedMs, double UNetMs, double DenoiseMs, long ModelCalls)> _sums = new();

    public void Add(string setting, IEnumerable<UnitRecord> units)
    {
        if (!_sums.ContainsKey(setting))
        {
            _order.Add(setting);
        }
        var sum = _sums.GetValueOrDefault(setting);
        foreach (var unit in units)
        {
            var time = unit.Timings;
            sum = (sum.Units + 1, sum.ElapsedMs + time.ElapsedMs, sum.UNetMs + time.UNetMs, sum.DenoiseMs + time.DenoiseMs, sum.ModelCalls + unit.ModelCalls);
        }
        _sums[setting] = sum;
    }

    public void Write(string path) => AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(new
    {
        settings = _order.Select(setting => _sums[setting]).Select((s, i) => new
        {
            setting = _order[i],
            units = s.Units,
            totalElapsedMs = s.ElapsedMs,
            meanElapsedMs = s.ElapsedMs / Math.Max(1, s.Units),
            meanUNetMs = s.UNetMs / Math.Max(1, s.Units),
            meanDenoiseMs = s.DenoiseMs / Math.Max(1, s.Units),
            meanModelCalls = (double)s.ModelCalls / Math.Max(1, s.Units),
        }),
    }, StudyJson.Options()));
}
