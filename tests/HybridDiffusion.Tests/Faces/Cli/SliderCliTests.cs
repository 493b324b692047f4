using System.Text.Json;
using HybridDiffusion.Cli;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Sliders;
using HybridDiffusion.Demo;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Faces.Cli;

/// <summary>The slider faces: --slider parsing, the slider-transfer verb, and checks made when a slider is added.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SliderCliTests
{
    [Theory]
    [InlineData("warmth.safetensors:1.5", "warmth.safetensors", 1.5f, SliderTarget.Both, null)]
    [InlineData(@"C:\sliders\age.safetensors:-2:base:700", @"C:\sliders\age.safetensors", -2f, SliderTarget.Base, 700)]
    [InlineData("/data/a:b/smile.safetensors:0.5:distilled", "/data/a:b/smile.safetensors", 0.5f, SliderTarget.Distilled, null)]
    public void SliderArgumentsReadFileStrengthTargetAndStart(string text, string path, float strength, SliderTarget target, int? start) =>
        Assert.Equal(new SliderSpec(path, strength, target, start), SliderArgument.Parse(text));

    [Theory]
    [InlineData("no-strength.safetensors", "should read FILE:STRENGTH")]
    [InlineData("file.safetensors:strong", "should read FILE:STRENGTH")]
    [InlineData(":1", "names no file")]
    [InlineData("file.safetensors:1:sideways", "the target 'sideways' should be base, distilled or both")]
    [InlineData("file.safetensors:2:-1", "the target '-1' should be base, distilled or both")]
    [InlineData("file.safetensors:2:base:-1", "the start '-1' should be a whole timestep from 0 to 999")]
    [InlineData("file.safetensors:1:base:99999999999", "the start '99999999999' should be a whole timestep from 0 to 999")]
    [InlineData("file.safetensors:1:both:1000", "the start '1000' should be a whole timestep from 0 to 999")]
    [InlineData("file.safetensors:1:both:700:9", "the target '9' should be base, distilled or both")]
    public async Task MalformedSlidersExitTwo(string text, string message)
    {
        var (code, _, errors) = await DiversityInputTests.Cli("new-image", "a square", "--slider", text, "--output", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.StartsWith($"hybrid: error: --slider '{text}'", errors);
        Assert.Contains(message, errors);
        Assert.Contains("FILE:STRENGTH[:TARGET[:START]]", errors);
        Assert.DoesNotContain("   at ", errors);
    }

    // Each hostile slider file ends with one message naming the file and the problem, exit 1, and no stack trace.
    [Theory]
    [InlineData("folder", "is a folder; give the .safetensors file inside it")]
    [InlineData("rank-0", "rank 0")]
    [InlineData("nan-weight", "holds NaN at element 3")]
    [InlineData("infinite-alpha", "lora_unet_prompt_prior.alpha holds an infinite value")]
    public async Task HostileSliderFilesExitOneWithTheFileAndProblem(string name, string message)
    {
        using var folder = new TempFolder();
        var path = HostileSlider(folder, name);
        var (code, _, errors) = await DiversityInputTests.Cli("new-image", "a square", "--slider", $"{path}:1", "-n", "1",
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel, "--output", folder["out"]);
        Assert.Equal(1, code);
        Assert.StartsWith("hybrid: error: ", errors);
        Assert.Contains(path, errors);
        Assert.Contains(message, errors);
        Assert.DoesNotContain("   at ", errors);
        Assert.False(Directory.Exists(folder["out"]) && Directory.EnumerateFileSystemEntries(folder["out"]).Any(), "nothing is written");
    }

    // The demo warmth slider with one thing broken.
    private static string HostileSlider(TempFolder folder, string name)
    {
        var warmth = SafeTensors.Read(DemoPair.Paths.WarmthSlider);
        const string key = "lora_unet_" + HybridDiffusion.Demo.DemoSlider.Module;
        var (down, up) = (warmth[$"{key}.lora_down.weight"], warmth[$"{key}.lora_up.weight"]);
        var path = folder[name + ".safetensors"];
        (string, long[], float[]) Tensor(SafeTensor t, Func<float[], float[]>? change = null) => (t.Name, t.Shape.ToArray(), change?.Invoke(t.Values.ToArray()) ?? t.Values);
        float[] Set(float[] values, int index, float value)
        {
            values[index] = value;
            return values;
        }
        switch (name)
        {
            case "folder":
                Directory.CreateDirectory(path);
                break;
            case "rank-0":
                File.WriteAllBytes(path, SafeTensors.Write(new[]
                {
                    ($"{key}.lora_down.weight", new long[] { 0, down.Shape[1] }, Array.Empty<float>()),
                    ($"{key}.lora_up.weight", new long[] { up.Shape[0], 0 }, Array.Empty<float>()),
                }));
                break;
            case "nan-weight":
                File.WriteAllBytes(path, SafeTensors.Write(new[] { Tensor(down), Tensor(up, v => Set(v, 3, float.NaN)) }));
                break;
            case "infinite-alpha":
                File.WriteAllBytes(path, SafeTensors.Write(new[] { Tensor(down), Tensor(up), ($"{key}.alpha", Array.Empty<long>(), new[] { float.PositiveInfinity }) }));
                break;
        }
        return path;
    }

    [Fact]
    public async Task NanStrengthAndMissingFilesAreRefusedByTheCli()
    {
        var (nan, _, nanErrors) = await DiversityInputTests.Cli("new-image", "a square", "--slider", $"{DemoPair.Paths.WarmthSlider}:NaN",
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel, "--output", Path.GetTempPath());
        Assert.Equal(2, nan);
        Assert.Contains("finite", nanErrors);
        var (missing, _, missingErrors) = await DiversityInputTests.Cli("new-image", "a square", "--slider", "/nonexistent/x.safetensors:1", "--output", Path.GetTempPath());
        Assert.Equal(1, missing);
        Assert.Contains("/nonexistent/x.safetensors", missingErrors);
    }

    [Fact]
    public async Task SliderTransferPrintsOneRowPerStrength()
    {
        var (code, output, _) = await DiversityInputTests.Cli("slider-transfer", "a square", "--file", DemoPair.Paths.WarmthSlider, "--strength", "-2", "2",
            "--count", "4", "--json", "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel);
        Assert.Equal(0, code);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(new[] { -2.0, 2.0 }, rows.Select(r => r.GetProperty("strength").GetDouble()));
        // Both signs move both models, the distilled model's one picture per prompt too: the slider tints as well as re-weights scenes.
        Assert.All(rows, r => Assert.True(r.GetProperty("baseDistance").GetDouble() > 0 && r.GetProperty("distilledDistance").GetDouble() > 0));
    }

    [Fact]
    public async Task SliderTransferDefaultsMatchMeasureSliderTransfer()
    {
        var models = new[] { "--json", "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel };
        var (code, output, errors) = await DiversityInputTests.Cli(new[] { "slider-transfer", "a square", "--file", DemoPair.Paths.WarmthSlider }.Concat(models).ToArray());
        var (explicitCode, explicitOutput, _) = await DiversityInputTests.Cli(new[] { "slider-transfer", "a square", "--file", DemoPair.Paths.WarmthSlider,
            "--strength", "-2", "2", "--seed", "0", "--count", "8" }.Concat(models).ToArray());
        Assert.True(code == 0, errors);
        Assert.Equal(0, explicitCode);
        // Without --strength, --seed or --count: strengths -2 and 2 over seeds 0 to 7, the cmdlet's defaults.
        Assert.Equal(explicitOutput, output);
        Assert.Equal(SliderTransferRequest.DefaultStrengths.Count, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void AddingASliderChecksTheFileAtOnceAndComposes()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder["text-only.safetensors"], SafeTensors.Write(new[] { ("lora_te_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", new long[] { 1, 4 }, new float[4]) }));
        var empty = new HybridModel(null, null, Array.Empty<SliderSpec>());
        var noUnet = Assert.Throws<HybridDiffusionException>(() => SliderCatalog.Add(empty, new SliderSpec(folder["text-only.safetensors"], 1), strict: false));
        Assert.Contains("no UNet low-rank pairs", noUnet.Message);
        Assert.Contains("lora_te_text_model_encoder_layers_0_mlp_fc1", noUnet.Message);
        var two = SliderCatalog.Add(SliderCatalog.Add(empty, new SliderSpec(DemoPair.Paths.WarmthSlider, 1), false), new SliderSpec(DemoPair.Paths.WarmthSlider, -0.5f, SliderTarget.Base), true);
        Assert.Equal(2, two.Sliders.Count);
        Assert.True(two.StrictSliders);
        Assert.Contains("warmth.safetensors@1, warmth.safetensors@-0.5 base", two.ToString());
    }
}
