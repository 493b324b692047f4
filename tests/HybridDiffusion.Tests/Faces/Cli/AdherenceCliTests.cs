using System.Text.Json;
using System.Xml.Linq;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Tests.Analysis.Adherence;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Faces.Cli;

/// <summary>`hybrid adherence`: the demo measure and CLIP score through the CLI, its gate and JUnit report, and bad input with its exit code.</summary>
public sealed class AdherenceCliTests
{
    private static Task<(int Code, string Output, string Errors)> Cli(params string[] args) => DiversityInputTests.Cli(args);

    [Fact]
    public async Task ImagesThatShowAnotherPromptsSceneFailTheGateWithExit3AndAJUnitFailure()
    {
        using var folder = new TempFolder();
        foreach (var image in DemoPair.Generate("a red circle", GenerationMode.Base, new[] { 0L, 1L, 2L }))
        {
            File.WriteAllBytes(folder[$"circle-{image.Seed}.png"], PngEncoder.Encode(image.Image, image.Metadata()));
        }
        // Blue squares labelled with the red circle's prompt: a method that left its prompt.
        foreach (var image in DemoPair.Generate("a blue square", GenerationMode.Distilled, new[] { 0L, 1L }))
        {
            var metadata = image.Metadata().Select(kv => kv.Key == "Prompt" ? new KeyValuePair<string, string>("Prompt", "a red circle?") : kv);
            File.WriteAllBytes(folder[$"square-{image.Seed}.png"], PngEncoder.Encode(image.Image, metadata));
        }

        var (code, output, errors) = await Cli("adherence", folder.Path, "--demo", "--json", "--minimum-adherence", "0.5", "--junit", folder["report.xml"]);

        Assert.True(code == 3, errors);
        var reports = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(new[] { "a red circle", "a red circle?" }, reports.Select(r => r.GetProperty("group").GetString()));
        Assert.Equal(new[] { 1.0, 0.0 }, reports.Select(r => r.GetProperty("mean").GetDouble()));
        Assert.All(reports[1].GetProperty("images").EnumerateArray(), i => Assert.EndsWith("blue square", i.GetProperty("scene").GetString()));
        Assert.Contains("hybrid: FAIL: 'a red circle?': mean adherence 0.0000 is below the minimum 0.5.", errors);
        var junit = XDocument.Load(folder["report.xml"]);
        Assert.Equal("1", junit.Root!.Attribute("failures")!.Value);
        Assert.Equal("adherence.demoscene", junit.Root.Element("testsuite")!.Attribute("name")!.Value);
    }

    [Theory]
    [InlineData(new[] { "{folder}" }, "--clip-image-model: ")]
    [InlineData(new[] { "{folder}", "--clip-image-model", "{folder}/image.onnx" }, "--clip-text-model: ")]
    [InlineData(new[] { "{folder}", "--demo", "--clip-text-model", "{folder}/text.onnx" }, "--demo: ")]
    [InlineData(new[] { "{folder}", "--demo", "--minimum-adherence", "2" }, "--minimum-adherence: The minimum adherence must be between 0 and 1")]
    [InlineData(new[] { "{folder}", "--demo", "--prompt-from-metadata", " " }, "--prompt-from-metadata: ")]
    [InlineData(new[] { "{folder}", "--demo", "--minimum-adherence", "many" }, "--minimum-adherence")]
    public async Task BadOptionsExit2BeforeAnyImageIsRead(string[] args, string expected)
    {
        using var folder = new TempFolder();
        var (code, output, errors) = await Cli(new[] { "adherence" }.Concat(args.Select(a => a.Replace("{folder}", folder.Path))).ToArray());
        Assert.True(code == 2, errors);
        Assert.Contains(expected, errors);
        Assert.Equal("", output);
        Assert.DoesNotContain("   at ", errors);
    }

    [Fact]
    public async Task MissingFilesAndUnusableModelsExit1WithTheirNames()
    {
        using var folder = new TempFolder();
        var (image, text) = ClipScoreTests.WritePair(folder, textDimensions: 4);
        var png = folder["a.png"];
        var picture = DemoPair.Generate("a red circle", GenerationMode.Distilled, new[] { 0L })[0];
        File.WriteAllBytes(png, PngEncoder.Encode(picture.Image, picture.Metadata()));
        File.WriteAllBytes(folder["bare.onnx"], ClipScoreTests.TextModel(4, "last_hidden_state", perToken: true));
        File.WriteAllBytes(folder["wide.onnx"], ClipScoreTests.TextModel(6, "text_embeds", perToken: false));
        File.WriteAllBytes(folder["unlabelled.png"], PngEncoder.Encode(picture.Image));

        foreach (var (args, expected) in new (string[], string)[]
        {
            (new[] { png, "--clip-image-model", image, "--clip-text-model", folder["missing.onnx"] }, $"CLIP text model '{folder["missing.onnx"]}' does not exist"),
            (new[] { png, "--clip-image-model", folder["missing.onnx"], "--clip-text-model", text }, $"CLIP image model '{folder["missing.onnx"]}' does not exist"),
            (new[] { png, "--clip-image-model", DemoPair.Paths.BaseModel + "/unet/model.onnx", "--clip-text-model", text }, "CLIP image model '"),
            (new[] { png, "--clip-image-model", image, "--clip-text-model", folder["bare.onnx"] }, "has no text_embeds output"),
            (new[] { png, "--clip-image-model", image, "--clip-text-model", folder["wide.onnx"] }, "4-dimensional embeddings but text model"),
            (new[] { folder["gone.png"], "--demo" }, $"No PNG file matches '{folder["gone.png"]}'."),
            (new[] { folder["unlabelled.png"], "--demo" }, "has no 'Prompt' metadata"),
        })
        {
            var (code, _, errors) = await Cli(new[] { "adherence" }.Concat(args).ToArray());
            Assert.True(code == 1, $"{string.Join(' ', args)}: exit {code}: {errors}");
            Assert.Contains(expected, errors);
            Assert.DoesNotContain("   at ", errors);
        }

        var (ok, output, _) = await Cli("adherence", png, "--clip-image-model", image, "--clip-text-model", text);
        Assert.Equal(0, ok);
        Assert.Contains("a red circle  clip-score", output);
    }
}
