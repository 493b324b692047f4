using System.Text.Json.Nodes;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Parity;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Core.Parity;

/// <summary>A damaged reference case is refused with a message naming the case, the key and the file; the CLI exits 1.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ReferenceCaseInputTests
{
    [ReferenceFact]
    public void AMissingArrayIsNamed()
    {
        using var root = CopyCase("sd-ddim-10", out var folder);
        File.Delete(Path.Combine(folder, "step3_unet_output.npy"));
        var ex = Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder));
        Assert.Contains("case 'sd-ddim-10' steps[3].unet_output", ex.Message);
        Assert.Contains("step3_unet_output.npy' does not exist", ex.Message);
    }

    [ReferenceFact]
    public void AnArrayOfTheWrongShapeIsNamed()
    {
        using var root = CopyCase("sd-ddim-10", out var folder);
        new NpyArray(new float[4 * 8 * 8], new[] { 1, 4, 8, 8 }).Write(Path.Combine(folder, "step2_prev_sample.npy"));
        var ex = Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder));
        Assert.Contains("steps[2].prev_sample", ex.Message);
        Assert.Contains("has shape (1, 4, 8, 8); expected (1, 4, 16, 16)", ex.Message);
    }

    [ReferenceFact]
    public void AMissingModelFolderIsNamed()
    {
        using var root = CopyCase("sd-ddim-10", out var folder);
        Directory.Delete(Path.Combine(root.Path, "sd-tiny"));
        var ex = Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder));
        Assert.Equal(HybridErrorKind.ModelNotFound, ex.Kind);
        Assert.Contains("names the model folder 'sd-tiny' (pipeline in case.json), which is not at", ex.Message);
    }

    [ReferenceFact]
    public void AnArrayOfAnotherDtypeOrTruncatedIsNamed()
    {
        using var root = CopyCase("sd-ddim-10", out var folder);
        var x0 = Path.Combine(folder, "step0_x0.npy");
        var bytes = File.ReadAllBytes(x0);
        File.WriteAllBytes(x0, System.Text.Encoding.Latin1.GetBytes(System.Text.Encoding.Latin1.GetString(bytes).Replace("'<f4'", "'<f2'")));
        Assert.Contains("step0_x0.npy' is not a float32 .npy array: its dtype is '<f2'", Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder)).Message);
        File.WriteAllBytes(x0, bytes[..(bytes.Length - 100)]);
        Assert.Contains("steps[0].pred_original_sample", Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder)).Message);
        Assert.Contains("is truncated", Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder)).Message);
    }

    [ReferenceFact]
    public void AMissingKeyOrUnsupportedSchedulerOptionIsNamed()
    {
        using var root = CopyCase("sd-ddim-10", out var folder);
        var file = Path.Combine(folder, "case.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json["scheduler_config"]!["use_karras_sigmas"] = true;
        File.WriteAllText(file, json.ToJsonString());
        Assert.Contains("scheduler_config.use_karras_sigmas is true", Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder)).Message);
        json["scheduler_config"]!["use_karras_sigmas"] = false;
        json.Remove("prompt");
        File.WriteAllText(file, json.ToJsonString());
        Assert.Contains("it lacks 'prompt'", Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder)).Message);
        Assert.Contains("has no case.json", Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(root.Path)).Message);
    }

    [ReferenceFact]
    public async Task CliExitsZeroWhenWithinBoundsAndOneWhenACaseCannotBeRead()
    {
        var good = ReferenceCases.Folder("sd-lcm-4-hybrid");
        var (code, output, _) = await DiversityInputTests.Cli("reference-check", good, "--json", "--provider", "cpu");
        Assert.Equal(0, code);
        var report = JsonNode.Parse(output.Trim())!.AsObject();
        Assert.Equal("sd-lcm-4-hybrid", report["case"]!.GetValue<string>());
        Assert.True(report["passed"]!.GetValue<bool>());
        Assert.NotNull(report["worst"]!["stage"]);
        Assert.Contains(report["stages"]!.AsArray(), s => s!["stage"]!.GetValue<string>() == "step3.latent");

        using var root = CopyCase("sd-ddim-10", out var broken);
        File.Delete(Path.Combine(broken, "image.npy"));
        (code, output, var errors) = await DiversityInputTests.Cli("reference-check", broken, good, "--provider", "cpu");
        Assert.Equal(1, code);
        Assert.Contains("case 'sd-ddim-10' image", errors);
        Assert.DoesNotContain("   at ", errors);
        Assert.Contains("sd-lcm-4-hybrid", output);
    }

    // A copy of one case under ROOT/cases/NAME, with ROOT/<model> linked to the shared model folders.
    internal static TempFolder CopyCase(string name, out string folder)
    {
        var root = new TempFolder();
        folder = root.CopyFrom(ReferenceCases.Folder(name), Path.Combine("cases", name));
        foreach (var model in new[] { "sd-tiny", "sd-tiny-distilled" })
        {
            Directory.CreateSymbolicLink(root[model], ReferenceCases.Model(model));
        }
        return root;
    }

    [ReferenceTheory]
    [InlineData("pipeline", "/etc")]
    [InlineData("pipeline", "../../../../../../etc")]
    [InlineData("initial_latents", "/etc/passwd")]
    [InlineData("image", "../../../../../../../etc/passwd")]
    public void ACaseNamingAPathOutsideItsRootIsRefusedWithoutReadingIt(string key, string path)
    {
        using var root = ReferenceCaseInputTests.CopyCase("sd-ddim-10", out var folder);
        var file = Path.Combine(folder, "case.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json[key] = path;
        File.WriteAllText(file, json.ToJsonString());

        var ex = Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder));

        Assert.Equal(HybridErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains($"{key} names '{path}', which is not inside", ex.Message);
        Assert.DoesNotContain("root:", ex.Message);
    }

    [ReferenceFact]
    public void ACaseLoraOrArrayLinkedOutOfItsRootIsRefused()
    {
        using var root = ReferenceCaseInputTests.CopyCase("sd-ddim-10", out var folder);
        var file = Path.Combine(folder, "case.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json["lora"] = new JsonObject { ["file"] = "/etc/passwd", ["strength"] = 1 };
        File.WriteAllText(file, json.ToJsonString());
        Assert.Contains("lora.file names '/etc/passwd', which is not inside", Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder)).Message);

        json.Remove("lora");
        File.WriteAllText(file, json.ToJsonString());
        var image = Path.Combine(folder, "image.npy");
        File.Delete(image);
        File.CreateSymbolicLink(image, "/etc/passwd");
        var ex = Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder));
        Assert.Contains("image names 'image.npy', which is not inside the case's folder", ex.Message);
        Assert.DoesNotContain("root:", ex.Message);
    }

    [ReferenceFact]
    public void ACaseWhoseArraysDoNotFitItsModelIsNamedBeforeAnyRun()
    {
        using var root = ReferenceCaseInputTests.CopyCase("sd-ddim-10", out var folder);
        // Every latent-shaped array with 8 channels instead of the UNet's 4: a consistent case for another model.
        foreach (var file in Directory.GetFiles(folder, "*.npy"))
        {
            var array = NpyArray.Read(file);
            if (array.Shape.Count == 4 && array.Shape[1] == 4)
            {
                var shape = new[] { array.Shape[0], 8, array.Shape[2], array.Shape[3] };
                new NpyArray(new float[shape.Aggregate(1, (a, d) => a * d)], shape).Write(file);
            }
        }
        var ex = Assert.Throws<HybridDiffusionException>(() => ReferenceReplay.Run(TestEngine.Shared, ReferenceCase.Load(folder), new HybridDiffusion.Core.Onnx.SessionSettings(HybridDiffusion.Contracts.Onnx.ExecutionProvider.Cpu)));
        Assert.Contains("records latents of 8 channels ((1, 8, 16, 16)), but its UNet", ex.Message);
        Assert.Contains("takes 4", ex.Message);
    }
}
