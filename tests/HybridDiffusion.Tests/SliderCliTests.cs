using System.Text.Json;
using HybridDiffusion.Cli;
using HybridDiffusion.Sliders;

namespace HybridDiffusion.Tests;

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
    [InlineData("no-strength.safetensors")]
    [InlineData("file.safetensors:strong")]
    public async Task MalformedSlidersExitTwo(string text)
    {
        var (code, _, errors) = await DiversityInputTests.Cli("new-image", "a square", "--slider", text, "--output", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains("FILE:STRENGTH", errors);
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
        Assert.All(rows, r => Assert.True(r.GetProperty("baseDistance").GetDouble() > 0));
        // The demo's distilled model gives one picture per prompt: one sign moves it to a warmer or cooler scene, the other
        // finds it already at the warmest or coolest the prompt allows.
        Assert.Contains(rows, r => r.GetProperty("distilledDistance").GetDouble() > 0);
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
