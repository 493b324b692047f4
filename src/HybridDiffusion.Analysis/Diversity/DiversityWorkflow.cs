using HybridDiffusion.Core.Output;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Measure-SampleDiversity and `hybrid diversity` below their syntax: checks the settings and the places it writes before
/// any image is read, gathers the samples (PNG files, folders, wildcards, generated images; one that cannot be read is a
/// problem of its own and the rest are still measured), measures them and writes the JUnit report with every problem.
/// A face fills in the request, hands over its inputs as it meets them and renders the outcome in its own words.
/// </summary>
public sealed class DiversityWorkflow
{
    private readonly HybridEngine _engine;
    private readonly DiversityRequest _request;
    private readonly SampleInputs _inputs = new();

    /// <param name="engine">Runs the embedding model, when the request asks for the Embedding metric.</param>
    /// <param name="junitPath">Where the JUnit report goes; null writes none.</param>
    /// <param name="log">Hears what the checks of the pictures folder and the report's folder swept.</param>
    public DiversityWorkflow(HybridEngine engine, DiversityRequest request, string? junitPath, IEngineLog? log = null)
    {
        DiversityChecks.BeforeReading(request, log);
        JUnitPath = junitPath is null ? null : OutputDestination.PrepareFile(junitPath, SettingId.JUnit, "the JUnit report", log);
        _engine = engine;
        _request = request;
    }

    /// <summary>The JUnit report's full path; null when none is asked for.</summary>
    public string? JUnitPath { get; }

    public int SampleCount => _inputs.Samples.Count;

    /// <summary>The inputs that gave no sample (an argument that matched no file, a file that is not a readable PNG), in the order met.</summary>
    public IReadOnlyList<HybridDiffusionException> InputProblems => _inputs.Problems;

    /// <summary>
    /// Reads the PNG files the arguments name: files, folders (their *.png files) and wildcards in the file name. Returns
    /// the problems these arguments gave, the ones that matched nothing first.
    /// </summary>
    public IReadOnlyList<HybridDiffusionException> AddPaths(IEnumerable<string> arguments) => _inputs.AddPaths(arguments);

    /// <summary>Reads one PNG file; the problem when it cannot be read (it is skipped), else null.</summary>
    public HybridDiffusionException? AddFile(string path) => _inputs.AddFile(path);

    public void Add(GeneratedImage image) => _inputs.Add(image);

    /// <summary>Measures the samples gathered; the outcome's problems start with <see cref="InputProblems"/>, as the JUnit report lists them.</summary>
    public DiversityOutcome Measure(IDiversityObserver? observer = null, CancellationToken cancellation = default)
    {
        var outcome = DiversityAnalyzer.MeasureChecked(_engine, _request, _inputs.Samples, observer, cancellation);
        return outcome with { Problems = _inputs.Problems.Concat(outcome.Problems).ToList() };
    }

    /// <summary>The problems of <paramref name="outcome"/> that the measurement found, after the inputs' own.</summary>
    public IEnumerable<HybridDiffusionException> MeasurementProblems(DiversityOutcome outcome) => outcome.Problems.Skip(_inputs.Problems.Count);

    /// <summary>Writes <paramref name="outcome"/> to <see cref="JUnitPath"/>, written whole; nothing when no report is asked for.</summary>
    public void WriteJUnit(DiversityOutcome outcome)
    {
        if (JUnitPath is not null)
        {
            JUnitReport.Write(JUnitPath, outcome);
        }
    }
}
