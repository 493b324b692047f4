using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Output;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid diversity`: the CLI face of Measure-SampleDiversity, with exit codes and JUnit output for CI gates.</summary>
internal static class DiversityCommand
{
    public static Command Create(HybridEngine engine)
    {
        var paths = new Argument<string[]>("images") { Description = "PNG files, folders (their *.png) or wildcards such as out/*.png.", Arity = ArgumentArity.OneOrMore };
        var metric = new Option<string[]>("--metric", "-m")
        {
            Description = "rms, ssim, ms-ssim or embedding (several allowed, or comma-separated).",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => DiversityRequest.Defaults.Metrics.Select(m => m.ToString().ToLowerInvariant()).ToArray(),
        };
        var groupBy = new Option<string>("--group-by", "-g")
        {
            Description = "PNG text key to group by: Prompt, Mode, Seed, File, Directory, ...",
            DefaultValueFactory = _ => DiversityRequest.Defaults.GroupBy,
        };
        var size = new Option<int>("--size") { Description = "Side images are resized to for rms/ssim/mssim.", DefaultValueFactory = _ => DiversityRequest.Defaults.Size };
        var embedding = new EmbeddingCliOptions("for --metric embedding.");
        var minimumDistance = new Option<double?>("--minimum-distance") { Description = "Gate: fail when a group's mean pairwise distance is below this." };
        var minimumVendi = new Option<double?>("--minimum-vendi") { Description = "Gate: fail when a group's Vendi score is below this." };
        var reference = new Option<string?>("--reference-group") { Description = "Compare every group with this one (ratio of means, interval separation)." };
        var pictures = new Option<string?>("--pictures") { Description = "Folder for a contact sheet per group and a heatmap per group and metric." };
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report to this file (for CI test views)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per group and metric." };
        var matrix = new Option<bool>("--matrix") { Description = "With --json, include each distance matrix." };
        var resamples = new Option<int>("--bootstrap")
        {
            Description = "Bootstrap resamples for the confidence interval.",
            DefaultValueFactory = _ => DiversityRequest.Defaults.BootstrapResamples,
        };
        var seed = new Option<int>("--bootstrap-seed")
        {
            Description = "Seed of the bootstrap (same seed, same interval).",
            DefaultValueFactory = _ => DiversityRequest.Defaults.BootstrapSeed,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print what the engine does." };
        var provider = new Option<ExecutionProvider>("--provider")
        {
            Description = "For the embedding model: auto (CUDA, else CPU), cuda or cpu.",
            DefaultValueFactory = _ => GenerationRequest.Defaults.Provider,
        };
        var command = new Command("diversity",
            "Measure sample diversity (mean pairwise distance, bootstrap interval, Vendi score) per group of images; exit 3 when a gate fails.");
        command.Arguments.Add(paths);
        foreach (var option in new Option[] { metric, groupBy, size, minimumDistance, minimumVendi, reference, pictures, junit, json, matrix, resamples, seed, verbose, provider })
        {
            command.Options.Add(option);
        }
        embedding.AddTo(command);
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var observer = new ConsoleObserver(result.GetValue(verbose));
            var request = new DiversityRequest
            {
                Metrics = result.GetValue(metric)!.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(ParseMetric).ToArray(),
                GroupBy = result.GetValue(groupBy)!,
                Size = result.GetValue(size),
                Embedding = embedding.ToOptions(result, result.GetValue(provider)),
                MinimumDistance = result.GetValue(minimumDistance),
                MinimumVendi = result.GetValue(minimumVendi),
                ReferenceGroup = result.GetValue(reference),
                PictureDirectory = result.GetValue(pictures),
                IncludeMatrix = result.GetValue(matrix),
                BootstrapResamples = result.GetValue(resamples),
                BootstrapSeed = result.GetValue(seed),
            };
            // Settings and destinations first: a bad one fails before any image is read.
            DiversityChecks.Validate(request);
            if (request.PictureDirectory is not null)
            {
                OutputDestination.PrepareFolder(request.PictureDirectory, SettingId.PictureDirectory, "the pictures folder", observer);
            }
            if (result.GetValue(junit) is string junitPath)
            {
                OutputDestination.PrepareFile(junitPath, SettingId.JUnit, "the JUnit report", observer);
            }
            var (files, unmatched) = ImageFiles.Expand(result.GetValue(paths)!);
            var inputProblems = unmatched.Select(u => new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"No PNG file matches '{u}'.", u)).ToList();
            var samples = new List<DiversitySample>();
            foreach (var file in files)
            {
                try
                {
                    samples.Add(DiversitySample.FromPng(file));
                }
                catch (HybridDiffusionException ex)
                {
                    inputProblems.Add(ex);
                }
            }
            foreach (var problem in inputProblems)
            {
                Console.Error.WriteLine($"hybrid: error: {problem.Message}");
            }
            var outcome = DiversityAnalyzer.Measure(engine, request, samples, observer, cancellation);
            observer.EndProgress();
            outcome = outcome with { Problems = inputProblems.Concat(outcome.Problems).ToList() };
            if (result.GetValue(json))
            {
                foreach (var report in outcome.Reports)
                {
                    Console.WriteLine(ToJson(report));
                }
            }
            else
            {
                Console.WriteLine(FormatTable(outcome.Reports));
            }
            foreach (var problem in outcome.Problems.Skip(inputProblems.Count))
            {
                Console.Error.WriteLine($"hybrid: error: {problem.Message}");
            }
            foreach (var failure in outcome.Reports.SelectMany(r => r.Failures))
            {
                Console.Error.WriteLine($"hybrid: FAIL: {failure}");
            }
            if (result.GetValue(junit) is string junitFile)
            {
                JUnitReport.Write(junitFile, outcome);
            }
            return outcome.Reports.Any(r => !r.Passed) ? ExitCodes.GateFailed
                : outcome.Problems.Count > 0 ? ExitCodes.Failure
                : ExitCodes.Success;
        })));
        return command;
    }

    internal static DiversityMetric ParseMetric(string value) => value.Trim().ToLowerInvariant().Replace("-", "") switch
    {
        "rms" => DiversityMetric.Rms,
        "ssim" => DiversityMetric.Ssim,
        "msssim" => DiversityMetric.MsSsim,
        "embedding" => DiversityMetric.Embedding,
        _ => throw HybridDiffusionException.Argument(SettingId.Metric, $"Unknown metric '{value}'; use rms, ssim, ms-ssim or embedding."),
    };

    internal static string ToJson(DiversityReport r) => JsonSerializer.Serialize(new
    {
        group = r.Group,
        metric = r.Metric.ToString().ToLowerInvariant(),
        count = r.Count,
        mean = r.Mean,
        std = r.StandardDeviation,
        ciLow = r.ConfidenceLow,
        ciHigh = r.ConfidenceHigh,
        confidenceLevel = r.ConfidenceLevel,
        vendi = r.Vendi,
        closestPair = new { first = r.ClosestPair.First, second = r.ClosestPair.Second, distance = r.ClosestPair.Distance },
        passed = r.Passed,
        failures = r.Failures,
        referenceGroup = r.Comparison?.ReferenceGroup,
        ratioToReference = r.Comparison?.Ratio,
        separatedFromReference = r.Comparison?.Separated,
        contactSheet = r.ContactSheetPath,
        heatmap = r.HeatmapPath,
        labels = r.Matrix is null ? null : r.Labels,
        matrix = r.Matrix is null ? null : Enumerable.Range(0, r.Matrix.Count).Select(i => r.Matrix.Row(i).ToArray()).ToArray(),
    });

    private static string FormatTable(IReadOnlyList<DiversityReport> reports)
    {
        int groupWidth = Math.Clamp(reports.Select(r => r.Group.Length).DefaultIfEmpty(5).Max(), 5, 40);
        var lines = new List<string>
        {
            $"{"Group".PadRight(groupWidth)}  {"Metric",-9} {"Count",5} {"Mean",8} {"Std",8} {"95% interval",-19} {"Vendi",7}  Closest pair",
        };
        foreach (var r in reports)
        {
            var group = r.Group.Length > groupWidth ? r.Group[..(groupWidth - 2)] + ".." : r.Group.PadRight(groupWidth);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{group}  {r.Metric,-9} {r.Count,5} {r.Mean,8:F4} {r.StandardDeviation,8:F4} [{r.ConfidenceLow:F4}, {r.ConfidenceHigh:F4}] {r.Vendi,7:F3}  {r.ClosestPair.First} ~ {r.ClosestPair.Second} ({r.ClosestPair.Distance:F4})");
            if (r.Comparison is { } c)
            {
                var ratio = c.Ratio is double value ? value.ToString("F3", CultureInfo.InvariantCulture) + "×" : "n/a (reference mean is 0) ×";
                line += $"  {ratio} '{c.ReferenceGroup}'{(c.Separated ? " (intervals separate)" : "")}";
            }
            lines.Add(line);
        }
        return string.Join(Environment.NewLine, lines);
    }
}
