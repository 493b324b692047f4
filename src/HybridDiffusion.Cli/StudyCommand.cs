using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts.Studies;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid study run|status|merge`: the CLI face of Invoke-HybridStudy, Get-HybridStudyStatus and Measure-HybridStudy.</summary>
internal static class StudyCommand
{
    public static Command Create(HybridEngine engine)
    {
        var command = new Command("study", "Run a study (prompts × settings × seeds) in shards, see how far it is, and merge its results into tables, charts and a CI gate.");
        command.Subcommands.Add(Run(engine));
        command.Subcommands.Add(Status(engine));
        command.Subcommands.Add(Merge(engine));
        return command;
    }

    private static Argument<string> StudyArgument() => new("study") { Description = "The study file (JSON)." };

    private static Option<string> OutputOption() => new("--output", "-o") { Description = "The study's results folder (shared by its shards).", Required = true };

    private static Option<int?> ShardCountOption() => new("--shard-count")
    {
        Description = $"Number of shards (with a Kubernetes Indexed Job's JOB_COMPLETION_INDEX; or set {ShardSelection.ShardCountVariable}).",
    };

    private static Command Run(HybridEngine engine)
    {
        var study = StudyArgument();
        var output = OutputOption();
        var shard = new Option<string?>("--shard") { Description = "The shard to run, I/N with I from 0 (0/4 ... 3/4); wins over a Slurm array or Kubernetes index." };
        var shardCount = ShardCountOption();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print what the engine does." };
        var command = new Command("run", "Make the units of one shard that the results folder does not hold yet; a killed shard started again makes exactly the rest.")
        {
            study, output, shard, shardCount, verbose,
        };
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var (spec, source) = ShardSelection.Resolve(result.GetValue(shard), result.GetValue(shardCount), Environment.GetEnvironmentVariables());
            var definition = StudyFile.Read(result.GetValue(study)!);
            Console.Error.WriteLine($"hybrid: study shard: {source}.");
            var observer = new ConsoleObserver(result.GetValue(verbose));
            var outcome = StudyRunner.Run(engine, new StudyRunRequest { Study = definition, OutputDirectory = result.GetValue(output)!, Shard = spec }, observer, cancellation);
            observer.EndProgress();
            Console.WriteLine($"Study {outcome.StudyHash[..12]}, shard {outcome.Shard}: {outcome.Units} units, {outcome.AlreadyDone} already recorded, " +
                $"{outcome.Made} made{(outcome.Redone > 0 ? $" ({outcome.Redone} damaged records redone)" : "")}; results in {outcome.Folder}.");
            return ExitCodes.Success;
        })));
        return command;
    }

    private static Command Status(HybridEngine engine)
    {
        var study = StudyArgument();
        var output = OutputOption();
        var shardCount = new Option<int>("--shard-count") { Description = "Count the units of this many shards separately.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: studyHash, done, total, complete, shards." };
        var command = new Command("status", "Units recorded of all, overall and per shard; reads the results folder only.") { study, output, shardCount, json };
        command.SetAction(result => ExitCodes.Guard(result, () =>
        {
            var status = StudyStatusReader.Read(engine, new StudyStatusRequest
            {
                Study = StudyFile.Read(result.GetValue(study)!),
                OutputDirectory = result.GetValue(output)!,
                ShardCount = result.GetValue(shardCount),
            });
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    studyHash = status.StudyHash,
                    folder = status.Folder,
                    done = status.Done,
                    total = status.Total,
                    complete = status.Complete,
                    shards = status.Shards.Select(s => new { index = s.Index, count = s.Count, done = s.Done, total = s.Total }),
                }));
                return ExitCodes.Success;
            }
            Console.WriteLine($"Study {status.StudyHash[..12]}: {status.Done}/{status.Total} units recorded in {status.Folder}.");
            if (status.Shards.Count > 1)
            {
                foreach (var s in status.Shards)
                {
                    Console.WriteLine($"  shard {s.Index}/{s.Count}: {s.Done}/{s.Total}{(s.Done == s.Total ? " done" : "")}");
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Merge(HybridEngine engine)
    {
        var folders = new Argument<string[]>("folders") { Description = "The study's results folders (one, or one per shard).", Arity = ArgumentArity.OneOrMore };
        var report = new Option<string>("--report") { Description = "Folder for summary.json/.csv, junit.xml, timings.json, report.html and pictures.", Required = true };
        var baseline = new Option<string?>("--baseline") { Description = "An earlier summary.json: fail (exit 3) where diversity fell by more than --max-drop." };
        var maxDrop = new Option<double>("--max-drop")
        {
            Description = "Largest relative fall of a row's mean pairwise distance that passes (when the 95% intervals also do not overlap).",
            DefaultValueFactory = _ => StudyMergeRequest.DefaultMaxDrop,
        };
        var allowIncomplete = new Option<bool>("--allow-incomplete") { Description = "Merge what is recorded even when units are missing (otherwise exit 1)." };
        var command = new Command("merge", "Merge a study's records (never generating) into its summary, charts, contact sheets, HTML report and JUnit; gate against a baseline.")
        {
            folders, report, baseline, maxDrop, allowIncomplete,
        };
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var observer = new ConsoleObserver(verbose: false);
            var outcome = StudyMerger.Merge(engine, new StudyMergeRequest
            {
                Directories = result.GetValue(folders)!,
                ReportDirectory = result.GetValue(report)!,
                Baseline = result.GetValue(baseline),
                MaxDrop = result.GetValue(maxDrop),
                AllowIncomplete = result.GetValue(allowIncomplete),
            }, observer, cancellation, DemoAdherenceJudge.Open);
            observer.EndProgress();
            Console.WriteLine(Table(outcome.Summary));
            Console.WriteLine($"Report: {outcome.ReportPath}");
            foreach (var unit in outcome.DuplicatedUnits)
            {
                Console.Error.WriteLine($"hybrid: warning: recorded in several folders: {unit}");
            }
            if (outcome.MissingCount > 0)
            {
                Console.Error.WriteLine($"hybrid: warning: {outcome.MissingCount} unit(s) missing (merged without them): {string.Join("; ", outcome.MissingUnits)}");
            }
            // The study's FID, KID and adherence gates fail the merge as the baseline gate does.
            var measureFailures = outcome.Summary.Distributions.SelectMany(d => d.Distribution.Failures)
                .Concat(outcome.Summary.Adherence.SelectMany(a => a.Adherence.Failures)).ToList();
            foreach (var failure in measureFailures)
            {
                Console.Error.WriteLine($"hybrid: FAIL: {failure}");
            }
            if (outcome.Gate is not { } gate)
            {
                return measureFailures.Count == 0 ? ExitCodes.Success : ExitCodes.GateFailed;
            }
            foreach (var row in gate.NewRows)
            {
                Console.Error.WriteLine($"hybrid: note: not in the baseline: {row}");
            }
            foreach (var row in gate.MissingRows)
            {
                Console.Error.WriteLine($"hybrid: note: only in the baseline: {row}");
            }
            foreach (var failure in gate.Failures)
            {
                Console.Error.WriteLine($"hybrid: FAIL: {failure.Message}");
            }
            return gate.Passed && measureFailures.Count == 0 ? ExitCodes.Success : ExitCodes.GateFailed;
        })));
        return command;
    }

    private static string Table(StudySummary summary)
    {
        int width = Math.Clamp(summary.Settings.Select(r => r.Setting.Length).DefaultIfEmpty(7).Max(), 7, 48);
        var lines = new List<string> { $"{"Setting".PadRight(width)}  {"Metric",-9} {"Prompts",7} {"Mean",8} {"Vendi",7} {"×ref",6}" };
        lines.AddRange(summary.Settings.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Setting.PadRight(width)}  {r.Metric,-9} {r.Prompts,7} {r.MeanDistance,8:F4} {r.MeanVendi,7:F3} {(r.MeanRatio is double ratio ? ratio.ToString("F3", CultureInfo.InvariantCulture) : "-"),6}")));
        if (summary.SettingAdherence.Count > 0)
        {
            lines.Add($"{"Setting".PadRight(width)}  {"Adherence",-10} {"Prompts",7} {"Mean",8}");
            lines.AddRange(summary.SettingAdherence.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r.Setting.PadRight(width)}  {AdherenceReportText.MeasureName(r.Measure),-10} {r.Prompts,7} {r.MeanAdherence,8:F4}")));
        }
        return TableText.Rows(lines);
    }
}
