using HybridDiffusion.Analysis.Diversity;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid diversity`: the CLI face of Measure-SampleDiversity, with exit codes and JUnit output for CI gates.</summary>
internal static class DiversityCommand
{
    public static Command Create(HybridEngine engine)
    {
        var options = new DiversityOptions();
        var command = new Command("diversity",
            "Measure sample diversity (mean pairwise distance, bootstrap interval, Vendi score) per group of images, and FID and KID against a reference set; exit 3 when a gate fails.");
        options.AddTo(command);
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var observer = new ConsoleObserver(result.GetValue(options.Input.Verbose));
            var workflow = new DiversityWorkflow(engine, options.ToRequest(result), result.GetValue(options.Input.JUnit), observer);
            GateOutput.PrintErrors(workflow.AddPaths(result.GetValue(options.Input.Images)!));
            var outcome = workflow.Measure(observer, cancellation);
            observer.EndProgress();
            // One JSON line per report, none when no group could be measured; the table always has its header, and the
            // distribution table follows when a reference set was named, the Inception Score table when a classifier was, the
            // variation directions' when they were asked for.
            bool json = result.GetValue(options.Input.Json);
            var lines = json
                ? outcome.Reports.Select(DiversityReportText.Json).Concat(outcome.Distributions.Select(DistributionReportText.Json))
                    .Concat(outcome.InceptionScores.Select(DistributionReportText.Json)).Concat(outcome.Directions.Select(DistributionReportText.Json))
                : new[] { DiversityReportText.Table(outcome.Reports) }
                    .Concat(outcome.Distributions.Count > 0 ? new[] { "", DistributionReportText.Table(outcome.Distributions) } : Array.Empty<string>())
                    .Concat(outcome.InceptionScores.Count > 0 ? new[] { "", DistributionReportText.Table(outcome.InceptionScores) } : Array.Empty<string>())
                    .Concat(outcome.Directions.Count > 0 ? new[] { "", DistributionReportText.Table(outcome.Directions) } : Array.Empty<string>());
            var failures = outcome.Reports.SelectMany(r => r.Failures).Concat(outcome.Distributions.SelectMany(d => d.Failures)).ToList();
            int exitCode = GateOutput.Finish(lines, workflow.MeasurementProblems(outcome), failures, anyProblem: outcome.Problems.Count > 0);
            workflow.WriteJUnit(outcome);
            return exitCode;
        })));
        return command;
    }
}
