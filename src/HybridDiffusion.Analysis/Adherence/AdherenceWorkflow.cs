using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Adherence;
using HybridDiffusion.Core.Output;

namespace HybridDiffusion.Analysis.Adherence;

/// <summary>
/// Measure-PromptAdherence and `hybrid adherence` below their syntax: checks the settings and the report's place before any
/// image is read, gathers the images (as the diversity workflow does), judges each against its own prompt (read from its
/// metadata), groups them by prompt and writes the JUnit report. A face fills in the request, hands over its inputs and
/// renders the outcome in its own words.
/// </summary>
public sealed class AdherenceWorkflow
{
    /// <summary>Images judged per call: a multiple of the CLIP image model's batch (16), so its batches, and the scores, are as in one call.</summary>
    private const int JudgedPerChunk = 256;

    private readonly HybridEngine _engine;
    private readonly AdherenceRequest _request;
    private readonly Func<IEngineLog, IAdherenceJudge> _demoJudge;
    private readonly IEngineLog _log;
    private readonly SampleInputs _inputs = new();

    /// <param name="engine">Runs the CLIP models.</param>
    /// <param name="junitPath">Where the JUnit report goes; null writes none.</param>
    /// <param name="demoJudge">Opens the demo pair's judge (the demo layer's, which the analysis layer does not know).</param>
    /// <param name="log">Hears how the models are loaded; null reports to the engine's log.</param>
    public AdherenceWorkflow(HybridEngine engine, AdherenceRequest request, string? junitPath, Func<IEngineLog, IAdherenceJudge> demoJudge, IEngineLog? log = null)
    {
        request.Validate();
        _log = log ?? engine.Log;
        JUnitPath = junitPath is null ? null : OutputDestination.PrepareFile(junitPath, SettingId.JUnit, "the JUnit report", _log);
        _engine = engine;
        _request = request;
        _demoJudge = demoJudge;
    }

    /// <summary>The JUnit report's full path; null when none is asked for.</summary>
    public string? JUnitPath { get; }

    /// <summary>The inputs that gave no image, in the order met.</summary>
    public IReadOnlyList<HybridDiffusionException> InputProblems => _inputs.Problems;

    /// <summary>Reads the PNG files the arguments name (files, folders, wildcards); returns the problems they gave.</summary>
    public IReadOnlyList<HybridDiffusionException> AddPaths(IEnumerable<string> arguments) => _inputs.AddPaths(arguments);

    /// <summary>Reads one PNG file; the problem when it cannot be read (it is skipped), else null.</summary>
    public HybridDiffusionException? AddFile(string path) => _inputs.AddFile(path);

    public void Add(GeneratedImage image) => _inputs.Add(image);

    /// <summary>
    /// Judges every image that names its prompt, one report per prompt in the order first met. The outcome's problems
    /// start with <see cref="InputProblems"/>, then the images without a prompt. A model that cannot be used throws.
    /// </summary>
    public AdherenceOutcome Measure(CancellationToken cancellation = default)
    {
        var problems = _inputs.Problems.ToList();
        var judged = new List<(DiversitySample Sample, string Prompt)>();
        foreach (var sample in _inputs.Samples)
        {
            if (sample.GroupKey(_request.PromptProperty) is string prompt)
            {
                judged.Add((sample, prompt));
            }
            else
            {
                problems.Add(new HybridDiffusionException(HybridErrorKind.InvalidImage,
                    $"Image '{sample.Label}' has no '{_request.PromptProperty}' metadata, so its prompt is unknown; name the key that holds it, or measure images this tool wrote.",
                    sample.Path ?? sample.Label));
            }
        }
        if (judged.Count == 0)
        {
            return new AdherenceOutcome(Array.Empty<AdherenceReport>(), problems);
        }
        using var judge = AdherenceJudges.Open(_engine, _request, _demoJudge, _log);
        // A chunk of images at a time: a file's pixels are read when judged, not held for the whole run.
        var judgements = judged.Chunk(JudgedPerChunk)
            .SelectMany(chunk => judge.Judge(chunk.Select(j => j.Sample.Image).ToList(), chunk.Select(j => j.Prompt).ToList(), cancellation))
            .ToList();
        var reports = judged.Select((j, i) => new ImageAdherence(j.Sample.Label, j.Prompt, judgements[i].Score, judgements[i].Scene))
            .GroupBy(image => image.Prompt, StringComparer.Ordinal)
            .Select(group => AdherenceGroups.Report(group.Key, judge.Measure, group.ToList(), _request.MinimumAdherence))
            .ToList();
        return new AdherenceOutcome(reports, problems);
    }

    /// <summary>The problems of <paramref name="outcome"/> met after the inputs' own (images without a prompt).</summary>
    public IEnumerable<HybridDiffusionException> MeasurementProblems(AdherenceOutcome outcome) => outcome.Problems.Skip(_inputs.Problems.Count);

    /// <summary>Writes <paramref name="outcome"/> to <see cref="JUnitPath"/>, written whole; nothing when no report is asked for.</summary>
    public void WriteJUnit(AdherenceOutcome outcome)
    {
        if (JUnitPath is not null)
        {
            AdherenceJUnit.Write(JUnitPath, outcome);
        }
    }
}
