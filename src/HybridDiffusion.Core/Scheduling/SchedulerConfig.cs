using System.Text.Json;
using System.Text.Json.Nodes;

namespace HybridDiffusion.Core.Scheduling;

/// <summary>A diffusers scheduler_config.json, with diffusers' defaults for absent keys.</summary>
public sealed record SchedulerConfig
{
    public string ClassName { get; init; } = "DDIMScheduler";
    public int NumTrainTimesteps { get; init; } = 1000;
    public double BetaStart { get; init; } = 0.0001;
    public double BetaEnd { get; init; } = 0.02;
    public string BetaSchedule { get; init; } = "linear";
    public PredictionType PredictionType { get; init; } = PredictionType.Epsilon;
    public string TimestepSpacing { get; init; } = "leading";
    public int StepsOffset { get; init; }
    public bool SetAlphaToOne { get; init; } = true;

    /// <summary>diffusers' default is true for DDIM and false for LCM; null means "the class default".</summary>
    public bool? ClipSample { get; init; }
    public double ClipSampleRange { get; init; } = 1.0;
    public int OriginalInferenceSteps { get; init; } = 50;
    public double TimestepScaling { get; init; } = 10.0;

    /// <summary>Explicit timesteps (diffusers' timesteps= argument), as DMD2 recommends; not read from the JSON file.</summary>
    public IReadOnlyList<int>? CustomTimesteps { get; init; }

    /// <summary>The largest num_train_timesteps read (diffusers' models use 1000): tables are made per timestep.</summary>
    public const int MaxTrainTimesteps = 100_000;

    public static SchedulerConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Scheduler config '{path}' is missing; a diffusers model folder has scheduler/scheduler_config.json.", path);
        }
        return Read(ConfigJson.Load(path));
    }

    /// <param name="file">The file named in errors.</param>
    public static SchedulerConfig Parse(string json, string file = "scheduler_config.json") => Read(ConfigJson.Parse(json, file));

    // Each key is checked for type and range, so a damaged config fails here, naming file and key, rather than
    // hanging on a huge table or writing black images from NaN noise levels.
    private static SchedulerConfig Read(ConfigJson o)
    {
        var d = new SchedulerConfig();
        int trainTimesteps = o.Int("num_train_timesteps", 1, MaxTrainTimesteps) ?? d.NumTrainTimesteps;
        const string betaRange = "a number above 0 and below 1";
        var config = new SchedulerConfig
        {
            ClassName = o.String("_class_name") ?? d.ClassName,
            NumTrainTimesteps = trainTimesteps,
            BetaStart = o.Double("beta_start", betaRange, b => b > 0 && b < 1) ?? d.BetaStart,
            BetaEnd = o.Double("beta_end", betaRange, b => b > 0 && b < 1) ?? d.BetaEnd,
            BetaSchedule = o.String("beta_schedule") ?? d.BetaSchedule,
            PredictionType = ParsePrediction(o.String("prediction_type"), o.File),
            TimestepSpacing = o.String("timestep_spacing") ?? d.TimestepSpacing,
            StepsOffset = o.Int("steps_offset", 0, trainTimesteps - 1) ?? d.StepsOffset,
            SetAlphaToOne = o.Bool("set_alpha_to_one") ?? d.SetAlphaToOne,
            ClipSample = o.Bool("clip_sample"),
            ClipSampleRange = o.Double("clip_sample_range", "a number above 0", r => r > 0) ?? d.ClipSampleRange,
            OriginalInferenceSteps = o.Int("original_inference_steps", 1, trainTimesteps) ?? Math.Min(d.OriginalInferenceSteps, trainTimesteps),
            TimestepScaling = o.Double("timestep_scaling", "a number above 0", t => t > 0) ?? d.TimestepScaling,
        };
        if (config.BetaStart > config.BetaEnd)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"'{o.File}': \"beta_start\" ({config.BetaStart}) is above \"beta_end\" ({config.BetaEnd}); noise must grow with the timestep.", o.File);
        }
        return config;
    }

    public string ToJson()
    {
        var o = new JsonObject
        {
            ["_class_name"] = ClassName,
            ["num_train_timesteps"] = NumTrainTimesteps,
            ["beta_start"] = BetaStart,
            ["beta_end"] = BetaEnd,
            ["beta_schedule"] = BetaSchedule,
            ["prediction_type"] = PredictionType switch
            {
                PredictionType.VPrediction => "v_prediction",
                PredictionType.Sample => "sample",
                _ => "epsilon",
            },
            ["timestep_spacing"] = TimestepSpacing,
            ["steps_offset"] = StepsOffset,
            ["set_alpha_to_one"] = SetAlphaToOne,
            ["original_inference_steps"] = OriginalInferenceSteps,
            ["timestep_scaling"] = TimestepScaling,
        };
        if (ClipSample is bool clip)
        {
            o["clip_sample"] = clip;
        }
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static PredictionType ParsePrediction(string? value, string file) => value switch
    {
        null or "epsilon" => PredictionType.Epsilon,
        "v_prediction" => PredictionType.VPrediction,
        "sample" => PredictionType.Sample,
        _ => throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
            $"'{file}': \"prediction_type\" '{value}' is not one of epsilon, v_prediction, sample.", file),
    };
}
