using HybridDiffusion.Analysis.Trajectories;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Trajectories;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid x0-trajectory`: the CLI face of Get-X0Trajectory.</summary>
internal static class X0TrajectoryCommand
{
    public static Command Create(HybridEngine engine)
    {
        var generation = new GenerationOptions();
        var embedding = new EmbeddingCliOptions("that adds each step's embedding distance to the final image.");
        var every = new Option<int>("--every") { Description = "Decode x̂0 every Nth step (the last step always).", DefaultValueFactory = _ => TrajectoryRequest.DefaultEvery };
        var threshold = new Option<double>("--threshold")
        {
            Description = "RMS distance to the final image that counts as committed.",
            DefaultValueFactory = _ => TrajectoryRequest.DefaultThreshold,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for step PNGs, grids, commitment.svg/.png and trajectory-report.html.", DefaultValueFactory = _ => "trajectory" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per step (model, step, timestep, distanceToFinal, path, ...)." };
        var command = new Command("x0-trajectory",
            "Decode the clean image x̂0 each step predicts and chart how fast each mode commits to its final image.");
        generation.AddTo(command);
        embedding.AddTo(command);
        foreach (var option in new Option[] { every, threshold, output, json })
        {
            command.Options.Add(option);
        }
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var observer = new ConsoleObserver(result.GetValue(generation.Verbose));
            var request = generation.ToRequest(result, outputDirectory: null);
            var run = new X0TrajectoryRun(engine, new TrajectoryRequest
            {
                Generation = request,
                Every = result.GetValue(every),
                Threshold = result.GetValue(threshold),
                Embedding = embedding.ToOptions(result, request.Provider),
                OutputDirectory = result.GetValue(output),
            });
            bool asJson = result.GetValue(json);
            foreach (var step in run.Run(observer, cancellation))
            {
                observer.EndProgress();
                Console.WriteLine(asJson ? ToJson(step) : Describe(step));
            }
            observer.EndProgress();
            if (!asJson)
            {
                Console.WriteLine(Summary(run.Summary!));
            }
            return ExitCodes.Success;
        })));
        return command;
    }

    private static string Describe(TrajectoryStep s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Mode.ToString().ToLowerInvariant(),-10} seed {s.Seed,-5} step {s.Step,3}/{s.StepCount,-3} t={s.Timestep,-4} ({s.Model.ToString().ToLowerInvariant()}) " +
        $"distance to final {s.DistanceToFinal:F4}{(s.EmbeddingDistanceToFinal is double e ? $" embedding {e:F4}" : "")}  {s.Path}");

    private static string Summary(TrajectorySummary summary)
    {
        var lines = new List<string> { "", $"{"mode",-32} {"runs",5} {"threshold",9}  fraction of steps to reach it (mean curve / mean over runs)" };
        lines.AddRange(summary.Commitments.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Label,-32} {c.Runs,5} {c.Threshold,9:0.###}  {c.MeanCurveFraction:0.###} / {c.MeanRunFraction:0.###}")));
        if (summary.ReportPath is not null)
        {
            lines.Add($"Report: {summary.ReportPath}");
        }
        return TableText.Rows(lines);
    }

    internal static string ToJson(TrajectoryStep s) => JsonSerializer.Serialize(new
    {
        prompt = s.Prompt,
        seed = s.Seed,
        mode = s.Mode.ToString().ToLowerInvariant(),
        model = s.Model.ToString().ToLowerInvariant(),
        step = s.Step,
        stepCount = s.StepCount,
        timestep = s.Timestep,
        fractionDone = s.FractionDone,
        distanceToFinal = s.DistanceToFinal,
        embeddingDistanceToFinal = s.EmbeddingDistanceToFinal,
        path = s.Path,
    });
}
