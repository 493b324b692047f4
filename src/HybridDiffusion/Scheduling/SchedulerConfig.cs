using System.Text.Json;
using System.Text.Json.Nodes;

namespace HybridDiffusion.Scheduling;

/// <summary>What a model output predicts (diffusers' prediction_type).</summary>
public enum PredictionType
{
    Epsilon,
    VPrediction,
    Sample,
}

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

    public static SchedulerConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Scheduler config '{path}' is missing; a diffusers model folder has scheduler/scheduler_config.json.", path);
        }
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel, $"Scheduler config '{path}' cannot be read: {ex.Message}", path, ex);
        }
    }

    public static SchedulerConfig Parse(string json)
    {
        var o = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("the document is not a JSON object");
        var d = new SchedulerConfig();
        return new SchedulerConfig
        {
            ClassName = o["_class_name"]?.GetValue<string>() ?? d.ClassName,
            NumTrainTimesteps = o["num_train_timesteps"]?.GetValue<int>() ?? d.NumTrainTimesteps,
            BetaStart = o["beta_start"]?.GetValue<double>() ?? d.BetaStart,
            BetaEnd = o["beta_end"]?.GetValue<double>() ?? d.BetaEnd,
            BetaSchedule = o["beta_schedule"]?.GetValue<string>() ?? d.BetaSchedule,
            PredictionType = ParsePrediction(o["prediction_type"]?.GetValue<string>()),
            TimestepSpacing = o["timestep_spacing"]?.GetValue<string>() ?? d.TimestepSpacing,
            StepsOffset = o["steps_offset"]?.GetValue<int>() ?? d.StepsOffset,
            SetAlphaToOne = o["set_alpha_to_one"]?.GetValue<bool>() ?? d.SetAlphaToOne,
            ClipSample = o["clip_sample"]?.GetValue<bool>(),
            ClipSampleRange = o["clip_sample_range"]?.GetValue<double>() ?? d.ClipSampleRange,
            OriginalInferenceSteps = o["original_inference_steps"]?.GetValue<int>() ?? d.OriginalInferenceSteps,
            TimestepScaling = o["timestep_scaling"]?.GetValue<double>() ?? d.TimestepScaling,
        };
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

    private static PredictionType ParsePrediction(string? value) => value switch
    {
        null or "epsilon" => PredictionType.Epsilon,
        "v_prediction" => PredictionType.VPrediction,
        "sample" => PredictionType.Sample,
        _ => throw new FormatException($"prediction_type '{value}' is not one of epsilon, v_prediction, sample"),
    };
}
