using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Parity;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid reference-check`: replays diffusers reference cases through the engine and compares every stage.</summary>
internal static class ReferenceCheckCommand
{
    public static Command Create(HybridEngine engine)
    {
        var cases = new Argument<string[]>("CASE_DIR")
        {
            Description = "Case folders (diffusers-reference/cases/NAME, holding case.json and its .npy arrays).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per case: case, passed, worst {stage, value, tolerance}, stages." };
        var provider = new Option<ExecutionProvider>("--provider") { Description = "auto (CUDA, else CPU), cuda or cpu.", DefaultValueFactory = _ => ExecutionProvider.Auto };
        var verbose = new Option<bool>("--verbose") { Description = "Print every stage's figures, not only the worst." };
        var command = new Command("reference-check", Help()) { cases, json, provider, verbose };
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
            Run(engine, result.GetValue(cases)!, result.GetValue(json), result.GetValue(verbose), new SessionSettings(result.GetValue(provider)), cancellation))));
        return command;
    }

    private static int Run(HybridEngine engine, string[] folders, bool json, bool verbose, SessionSettings session, CancellationToken cancellation)
    {
        bool unreadable = false, failed = false;
        var log = new ConsoleObserver(verbose);
        if (!json)
        {
            Console.WriteLine($"{"case",-36} {"passed",-6} {"worst stage",-28} {"max abs",10} {"bound",8}");
        }
        foreach (var folder in folders)
        {
            ReferenceReport report;
            try
            {
                report = ReferenceReplay.Run(engine, ReferenceCase.Load(folder), session, log, cancellation);
            }
            catch (HybridDiffusionException ex)
            {
                // A case that cannot be read or run is exit 1 whatever the error's kind; the other cases still run.
                Console.Error.WriteLine($"hybrid: error: {ex.Message}");
                unreadable = true;
                continue;
            }
            failed |= !report.Passed;
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    @case = report.Case,
                    passed = report.Passed,
                    worst = new { stage = report.Worst.Name, value = report.Worst.MaxAbs, tolerance = report.Worst.Tolerance },
                    stages = report.Stages.Select(s => new { stage = s.Name, kind = s.Kind.ToString(), max = s.MaxAbs, mean = s.MeanAbs, tolerance = s.Tolerance, passed = s.Passed }),
                }));
                continue;
            }
            Console.WriteLine(Row(report.Case, report.Passed ? "yes" : "NO", report.Worst));
            foreach (var stage in report.Stages.Where(s => verbose || !s.Passed))
            {
                Console.WriteLine(Row("", stage.Passed ? "" : "NO", stage) + string.Create(CultureInfo.InvariantCulture, $"  mean {stage.MeanAbs:0.###e+0}"));
            }
        }
        return unreadable ? ExitCodes.Failure : failed ? ExitCodes.GateFailed : ExitCodes.Success;
    }

    private static string Row(string name, string passed, ReferenceStage stage) =>
        string.Create(CultureInfo.InvariantCulture, $"{name,-36} {passed,-6} {stage.Name,-28} {stage.MaxAbs,10:0.###e+0} {stage.Tolerance,8:0.#e+0}");

    private static string Help() =>
        "Replay diffusers reference cases (case.json + .npy arrays; model folders relative to the folder above cases/) through the engine: " +
        "mode and base steps, scheduler class and config, timesteps, guidance, prompts, initial latents, recorded noise and LoRA. " +
        "Reports per stage the max and mean absolute difference. Exit 0: every case within its bounds; 3: a case is not; " +
        "1: a case cannot be read or run (missing array or model folder, wrong shape, not float32, truncated). Bounds (max abs, float32, CPU): " +
        string.Join("; ", Enum.GetValues<ReferenceStageKind>().Select(k =>
            string.Create(CultureInfo.InvariantCulture, $"{k} {ReferenceTolerances.Of(k):0.#e+0}{(k == ReferenceStageKind.Image ? " level" : "")} ({ReferenceTolerances.Reason(k)})"))) + ".";
}
