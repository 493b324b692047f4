using HybridDiffusion.Core.Models;

namespace HybridDiffusion.Tests.Core.Models;

/// <summary>What tab completion offers for model parameters.</summary>
public sealed class ModelDirectoriesTests
{
    [Fact]
    public void CandidatesAreModelFoldersAndOnnxFilesMatchingThePrefix()
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(root["sdxl-base"]);
        File.WriteAllText(root["sdxl-base/model_index.json"], "{}");
        Directory.CreateDirectory(root["sdxl-dmd2/unet"]);
        File.WriteAllText(root["sdxl-dmd2/unet/model.onnx"], "");
        Directory.CreateDirectory(root["screenshots"]);
        File.WriteAllText(root["sd15-lcm.onnx"], "");
        File.WriteAllText(root["notes.txt"], "");

        var all = ModelDirectories.Candidates(new[] { root.Path, root["missing-folder"] }, "").Select(Path.GetFileName).ToList();
        Assert.Equal(new[] { "sd15-lcm.onnx", "sdxl-base", "sdxl-dmd2" }, all.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "sdxl-base", "sdxl-dmd2" }, ModelDirectories.Candidates(new[] { root.Path }, "SDXL").Select(Path.GetFileName));
    }
}
