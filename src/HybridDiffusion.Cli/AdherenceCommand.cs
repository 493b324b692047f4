using HybridDiffusion.Analysis.Adherence;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid adherence`: the CLI face of Measure-PromptAdherence, with exit codes and JUnit output for CI gates.</summary>
internal static class AdherenceCommand
{
    public static Command Create(HybridEngine engine)
    {
        var options = new AdherenceOptions();
        var command = new Command("adherence",
            "Measure prompt adherence per prompt: CLIP score from a CLIP image + text ONNX pair, or (--demo) whether each demo image shows a scene its prompt asks for; exit 3 when a gate fails.");
        options.AddTo(command);
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var observer = new ConsoleObserver(result.GetValue(options.Input.Verbose));
            var workflow = new AdherenceWorkflow(engine, options.ToRequest(result), result.GetValue(options.Input.JUnit), DemoAdherenceJudge.Open, observer);
            GateOutput.PrintErrors(workflow.AddPaths(result.GetValue(options.Input.Images)!));
            var outcome = workflow.Measure(cancellation);
            workflow.WriteJUnit(outcome);
            // One JSON line per prompt; the table always has its header.
            var lines = result.GetValue(options.Input.Json) ? outcome.Reports.Select(AdherenceReportText.Json) : new[] { AdherenceReportText.Table(outcome.Reports) };
            return GateOutput.Finish(lines, workflow.MeasurementProblems(outcome), outcome.Reports.SelectMany(r => r.Failures).ToList(), outcome.Problems.Count > 0);
        })));
        return command;
    }
}
