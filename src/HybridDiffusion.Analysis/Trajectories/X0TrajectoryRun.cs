using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Analysis.Pictures;
using HybridDiffusion.Contracts.Trajectories;
using HybridDiffusion.Core.Output;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Trajectories;

/// <summary>
/// The engine call behind Get-X0Trajectory and `hybrid x0-trajectory`: generates through <see cref="HybridEngine.Generate(GenerationRequest, IGenerationObserver?, CancellationToken)"/>
/// with a trajectory requested (the same code New-HybridImage -IncludeTrajectory uses), streams one object per kept
/// step, and at the end writes the grids, the commitment chart (SVG and PNG) and the HTML report.
/// </summary>
public sealed class X0TrajectoryRun
{
    public const string ChartSvgName = "commitment.svg";
    public const string ChartPngName = "commitment.png";
    public const string ReportName = "trajectory-report.html";

    private readonly HybridEngine _engine;
    private readonly TrajectoryRequest _request;

    /// <param name="engine">The engine that generates the images and runs the embedding model, when one is named.</param>
    public X0TrajectoryRun(HybridEngine engine, TrajectoryRequest request)
    {
        // The whole request is checked at once, before anything runs.
        request.Validate();
        GenerationChecks.Validate(request.TracedGeneration);
        if (request.Embedding is { } embedding)
        {
            EmbeddingPreprocessing.For(embedding);
        }
        _engine = engine;
        _request = request;
    }

    /// <summary>Available once <see cref="Run"/> has been enumerated to the end.</summary>
    public TrajectorySummary? Summary { get; private set; }

    public IEnumerable<TrajectoryStep> Run(IGenerationObserver? observer = null, CancellationToken cancellation = default)
    {
        if (_request.OutputDirectory is not null)
        {
            OutputDestination.PrepareFolder(_request.OutputDirectory, SettingId.OutputDirectory, "the output folder", observer ?? _engine.Log);
        }
        var images = _engine.Generate(_request.TracedGeneration, observer, cancellation);
        return Steps(images, observer, cancellation);
    }

    private IEnumerable<TrajectoryStep> Steps(IEnumerable<GeneratedImage> images, IGenerationObserver? observer, CancellationToken cancellation)
    {
        using var embedder = _request.Embedding is null ? null : ImageEmbedder.Open(_engine, _request.Embedding, observer);
        var curves = new CurveAccumulator(_request.Threshold);
        // Grids show the first seed of each prompt: one row per mode, kept as thumbnails until the end.
        var grids = new Dictionary<string, (long Seed, List<(string, IReadOnlyList<(RgbImage, string)>)> Rows)>();
        foreach (var image in images)
        {
            var steps = image.Trajectory!;
            if (embedder is not null)
            {
                steps = WithEmbeddingDistances(steps, image, embedder, cancellation);
            }
            if (_request.OutputDirectory is not null)
            {
                steps = steps.Select(s => Write(s, observer)).ToList();
            }
            string label = Label(image);
            curves.Add(label, steps);
            if (!grids.TryGetValue(image.Prompt, out var grid))
            {
                grids[image.Prompt] = grid = (image.Seed, new());
            }
            if (grid.Seed == image.Seed)
            {
                grid.Rows.Add((label, steps.Select(s => (ContactSheet.Thumbnail(s.Image, 64), $"t={s.Timestep}")).ToList()));
            }
            foreach (var step in steps)
            {
                yield return step;
            }
        }
        var (curveList, commitments) = curves.Result();
        Summary = new TrajectorySummary { Curves = curveList, Commitments = commitments };
        if (_request.OutputDirectory is not null)
        {
            Summary = WritePictures(Summary, grids.Select(g => ($"{g.Key} (seed {g.Value.Seed})", (IReadOnlyList<(string, IReadOnlyList<(RgbImage, string)>)>)g.Value.Rows)).ToList(), observer);
        }
    }

    private static string Label(GeneratedImage image) =>
        image.Mode == GenerationMode.Plan ? image.Plan : image.Mode.ToString().ToLowerInvariant();

    private static IReadOnlyList<TrajectoryStep> WithEmbeddingDistances(IReadOnlyList<TrajectoryStep> steps, GeneratedImage image, ImageEmbedder embedder,
        CancellationToken cancellation)
    {
        var inputs = steps.Select(s => UnitImage.From(s.Image)).Append(UnitImage.From(image.Image)).ToList();
        var embeddings = embedder.Embed(inputs, null, cancellation);
        var final = embeddings[^1];
        return steps.Select((s, i) => s with
        {
            EmbeddingDistanceToFinal = EmbeddingDistance.Between(embeddings[i], final),
        }).ToList();
    }

    private TrajectoryStep Write(TrajectoryStep step, IGenerationObserver? observer)
    {
        var name = $"{OutputNaming.Slug(step.Prompt)}-{step.Mode.ToString().ToLowerInvariant()}-{step.Seed}-step{step.Step:00}-t{step.Timestep}.png";
        var path = Path.GetFullPath(Path.Combine(_request.OutputDirectory!, name));
        if (observer is not null && !observer.ShouldWriteFile(path))
        {
            return step;
        }
        var text = new KeyValuePair<string, string>[]
        {
            new("Software", "HybridDiffusion"), new("Prompt", step.Prompt), new("Seed", step.Seed.ToString(CultureInfo.InvariantCulture)),
            new("Mode", step.Mode.ToString()), new("Plan", step.Plan), new("Model", step.Model.ToString()),
            new("Step", step.Step.ToString(CultureInfo.InvariantCulture)), new("Timestep", step.Timestep.ToString(CultureInfo.InvariantCulture)),
            new("DistanceToFinal", step.DistanceToFinal.ToString("R", CultureInfo.InvariantCulture)),
        };
        AtomicFile.WriteAllBytes(path, PngEncoder.Encode(step.Image, text));
        return step with { Path = path };
    }

    private TrajectorySummary WritePictures(TrajectorySummary summary, IReadOnlyList<(string Caption, IReadOnlyList<(string, IReadOnlyList<(RgbImage, string)>)> Rows)> grids,
        IGenerationObserver? observer)
    {
        var folder = Path.GetFullPath(_request.OutputDirectory!);
        bool Allowed(string path) => observer?.ShouldWriteFile(path) ?? true;
        var title = $"x0 trajectories: {string.Join(", ", _request.Generation.Prompts)}";
        var gridFiles = new List<string>();
        var gridImages = new List<(string, byte[])>();
        foreach (var (caption, rows) in grids)
        {
            var png = PngEncoder.Encode(TrajectoryGrid.Render(caption, rows));
            var path = Path.Combine(folder, $"{OutputNaming.Slug(caption)}-grid.png");
            if (Allowed(path))
            {
                AtomicFile.WriteAllBytes(path, png);
                gridFiles.Add(path);
            }
            gridImages.Add((caption, png));
        }
        var svg = CommitmentChart.Svg(title, summary.Curves, _request.Threshold);
        string? svgPath = Path.Combine(folder, ChartSvgName), pngPath = Path.Combine(folder, ChartPngName), reportPath = Path.Combine(folder, ReportName);
        svgPath = Allowed(svgPath) ? WriteText(svgPath, svg) : null;
        if (Allowed(pngPath))
        {
            AtomicFile.WriteAllBytes(pngPath, PngEncoder.Encode(CommitmentChart.Png(title, summary.Curves, _request.Threshold)));
        }
        else
        {
            pngPath = null;
        }
        summary = summary with { GridPaths = gridFiles, ChartSvgPath = svgPath, ChartPngPath = pngPath };
        reportPath = Allowed(reportPath)
            ? WriteText(reportPath, TrajectoryReport.Html(title, summary, svg, gridImages, pngPath is null ? null : ChartPngName))
            : null;
        return summary with { ReportPath = reportPath };
    }

    private static string WriteText(string path, string text)
    {
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }
}
