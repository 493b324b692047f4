using System.Text.Json.Nodes;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Models;

/// <summary>Damaged model configs fail naming file and key; seeded mutations never crash or hang the readers.</summary>
public sealed class ModelConfigTests
{
    private const string Scheduler = """
        { "_class_name": "LCMScheduler", "num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012,
          "beta_schedule": "scaled_linear", "prediction_type": "epsilon", "timestep_spacing": "leading", "steps_offset": 1,
          "set_alpha_to_one": false, "clip_sample": false, "original_inference_steps": 50, "timestep_scaling": 10.0 }
        """;

    private const string Index = """
        { "_class_name": "OnnxStableDiffusionPipeline", "_name_or_path": "x", "force_zeros_for_empty_prompt": false,
          "unet": ["diffusers", "OnnxRuntimeModel"] }
        """;

    private const string Vae = """{ "latent_channels": 4, "scaling_factor": 0.18215 }""";

    [Theory]
    [InlineData("num_train_timesteps", "0")]
    [InlineData("num_train_timesteps", "-5")]
    [InlineData("num_train_timesteps", "2e9")]
    [InlineData("num_train_timesteps", "1000.5")]
    [InlineData("steps_offset", "5000")]
    [InlineData("beta_end", "2.5")]
    [InlineData("beta_start", "\"x\"")]
    [InlineData("prediction_type", "\"noise\"")]
    [InlineData("clip_sample", "3")]
    public void BadSchedulerValuesNameFileAndKey(string key, string value)
    {
        var json = JsonNode.Parse(Scheduler)!.AsObject();
        json[key] = JsonNode.Parse(value);
        var ex = Assert.Throws<HybridDiffusionException>(() => SchedulerConfig.Parse(json.ToJsonString(), "/m/scheduler/scheduler_config.json"));
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains("'/m/scheduler/scheduler_config.json'", ex.Message);
        Assert.Contains($"\"{key}\"", ex.Message);
    }

    [Theory]
    [InlineData("[1,2]", "must hold a JSON object")]
    [InlineData("""{"_class_name":5}""", "\"_class_name\" must be a string")]
    [InlineData("""{"force_zeros_for_empty_prompt":"yes"}""", "\"force_zeros_for_empty_prompt\" must be true or false")]
    [InlineData("{", "is not valid JSON")]
    public void BadModelIndexNamesFileAndKey(string index, string expected)
    {
        using var folder = ModelFolderWith(index, Vae);
        var ex = Assert.Throws<HybridDiffusionException>(() => ModelFolder.Open(folder.Path, "BaseModel").ReadForceZerosForEmptyPrompt());
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains(Path.Combine(folder.Path, "model_index.json"), ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("\"x\"")]
    [InlineData("[]")]
    [InlineData("0")]
    [InlineData("-1")]
    public void BadVaeScalingFactorNamesFileAndKey(string value)
    {
        using var folder = ModelFolderWith(Index, $$"""{ "scaling_factor": {{value}} }""");
        var ex = Assert.Throws<HybridDiffusionException>(() => ModelFolder.Open(folder.Path, "BaseModel").ReadVaeScalingFactor());
        Assert.Contains(Path.Combine(folder.Path, "vae_decoder", "config.json"), ex.Message);
        Assert.Contains("\"scaling_factor\" must be a number above 0", ex.Message);
    }

    [Fact]
    public void NonFiniteLatentsFailInsteadOfWritingABlackImage()
    {
        using var temp = new TempFolder();
        var copy = temp.CopyFrom(DemoPair.Paths.BaseModel, "base");
        // Legal values, but the signal vanishes (ᾱ underflows to 0), so x̂0 divides by zero.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "scheduler", "scheduler_config.json")))!.AsObject();
        config["beta_start"] = 0.9999;
        config["beta_end"] = 0.9999;
        config["beta_schedule"] = "linear";
        File.WriteAllText(Path.Combine(copy, "scheduler", "scheduler_config.json"), config.ToJsonString());
        var output = temp["out"];
        var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(
            DemoPair.Request("a red circle", GenerationMode.Base, new long[] { 0 }, new GenerationSettings { Steps = 10 }) with { BaseModel = copy, DistilledModel = null, OutputDirectory = output }).ToList());
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains("NaN or infinity", ex.Message);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output).Any());
    }

    [Fact]
    public void SeededMutationsOfEveryConfigNeverCrashOrHang()
    {
        using var folder = ModelFolderWith(Index, Vae);
        var indexPath = Path.Combine(folder.Path, "model_index.json");
        var vaePath = Path.Combine(folder.Path, "vae_decoder", "config.json");
        var random = new Random(14);
        int accepted = 0, refused = 0;
        var run = Task.Run(() =>
        {
            for (int i = 0; i < 300; i++)
            {
                foreach (var (original, check) in new (string, Action<string>)[]
                {
                    (Scheduler, text =>
                    {
                        var config = SchedulerConfig.Parse(text);
                        var scheduler = SchedulerFactory.Create(config);
                        var schedule = scheduler.CreateSchedule(Math.Min(4, config.OriginalInferenceSteps));
                        Assert.All(schedule.Steps, s => Assert.InRange(s.Timestep, 0, config.NumTrainTimesteps - 1));
                    }),
                    (Index, text =>
                    {
                        File.WriteAllText(indexPath, text);
                        ModelFolder.Open(folder.Path, "BaseModel").ReadForceZerosForEmptyPrompt();
                    }),
                    (Vae, text =>
                    {
                        File.WriteAllText(vaePath, text);
                        Assert.True(ModelFolder.Open(folder.Path, "BaseModel").ReadVaeScalingFactor() > 0);
                    }),
                })
                {
                    var mutated = Mutate(original, random);
                    try
                    {
                        check(mutated);
                        accepted++;
                    }
                    catch (HybridDiffusionException ex)
                    {
                        Assert.False(string.IsNullOrWhiteSpace(ex.Message), mutated);
                        refused++;
                    }
                }
            }
        });
        Assert.True(run.Wait(TimeSpan.FromMinutes(2)), "a config reader hung");
        Assert.True(accepted > 0 && refused > 0, $"accepted {accepted}, refused {refused}");
    }

    // One of: a key's value replaced by a hostile one, a key removed, the text cut short, or a byte changed.
    private static string Mutate(string json, Random random)
    {
        var hostile = new[] { "0", "-5", "2e9", "1e308", "-1e308", "0.5", "5000", "2.5", "\"x\"", "\"\"", "[]", "[1,2]", "{}", "null", "true", "{\"a\":[[[[1]]]]}" };
        var root = JsonNode.Parse(json)!.AsObject();
        var keys = root.Select(kv => kv.Key).ToList();
        switch (random.Next(4))
        {
            case 0:
                root[keys[random.Next(keys.Count)]] = JsonNode.Parse(hostile[random.Next(hostile.Length)]);
                return root.ToJsonString();
            case 1:
                root.Remove(keys[random.Next(keys.Count)]);
                return root.ToJsonString();
            case 2:
                return json[..random.Next(json.Length)];
            default:
                var chars = json.ToCharArray();
                const string noise = "[]{}\",:0-9ex \u0000";
                chars[random.Next(chars.Length)] = noise[random.Next(noise.Length)];
                return new string(chars);
        }
    }

    private static TempFolder ModelFolderWith(string index, string vae)
    {
        var folder = new TempFolder();
        File.WriteAllText(folder["model_index.json"], index);
        Directory.CreateDirectory(folder["unet"]);
        File.WriteAllBytes(Path.Combine(folder["unet"], "model.onnx"), new byte[] { 0 });
        Directory.CreateDirectory(folder["vae_decoder"]);
        File.WriteAllText(Path.Combine(folder["vae_decoder"], "config.json"), vae);
        return folder;
    }
}
