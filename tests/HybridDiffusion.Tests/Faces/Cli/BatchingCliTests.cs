using System.Text.Json;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Faces.Cli;

/// <summary>The CLI's batch, memory-mode and thread options reach the engine, and bad values exit 2 with the option's name.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class BatchingCliTests
{
    [Fact]
    public async Task SequentialBatchedRunsGiveTheSameImagesAsTheDefault()
    {
        using var folder = new TempFolder();
        string[] Args(string output, params string[] extra) => new[] { "new-image", "a red circle", "--mode", "hybrid", "base", "--count", "3",
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel, "--output", folder[output], "--json" }.Concat(extra).ToArray();
        var (plainCode, plain, _) = await DiversityInputTests.Cli(Args("plain", "--batch-size", "1"));
        var (code, output, errors) = await DiversityInputTests.Cli(Args("sequential", "--batch-size", "2", "--memory-mode", "sequential", "--thread-count", "1"));
        Assert.Equal(0, plainCode);
        Assert.True(code == 0, errors);
        var files = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString()!).ToList();
        var plainFiles = plain.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString()!).ToList();
        Assert.Equal(6, files.Count);
        Assert.Equal(plainFiles.Select(Path.GetFileName), files.Select(Path.GetFileName));
        Assert.All(plainFiles.Zip(files), p => Assert.Equal(
            PngDecoder.Decode(p.First).Image.Pixels, PngDecoder.Decode(p.Second).Image.Pixels));
        Assert.Equal("2", PngDecoder.Decode(files[0]).Text["BatchSize"]);
        Assert.Equal("1", PngDecoder.Decode(files[0]).Text["ThreadCount"]);
    }

    [Theory]
    [InlineData("--batch-size", "0", "--batch-size: The batch size is the images per UNet run, 1 to 256; got 0")]
    [InlineData("--batch-size", "100000", "--batch-size: The batch size is the images per UNet run, 1 to 256; got 100000")]
    [InlineData("--thread-count", "-1", "thread-count")]
    [InlineData("--memory-mode", "sometimes", "sometimes")]
    public async Task BadValuesExitTwoNamingTheOption(string option, string value, string named)
    {
        var (code, _, errors) = await DiversityInputTests.Cli("new-image", "a red circle", option, value, "--output", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains(named, errors);
    }
}
