using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>
/// A folder of many large images is measured a group at a time: the files' pixels are not held from the moment they are
/// read until every group is done. (Alone in its collection, so no other test's allocations enter the count.)
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DiversityMemoryTests
{
    private const int Side = 1024, Files = 160;

    [Fact]
    public void ReadingManyLargePngsHoldsTheirTextNotTheirPixels()
    {
        using var folder = new TempFolder();
        for (int i = 0; i < Files; i++)
        {
            // Solid colours: a few KB on disk, 3 MB each decoded (480 MB for all of them).
            var pixels = new byte[Side * Side * 3];
            Array.Fill(pixels, (byte)(i * 37));
            File.WriteAllBytes(folder[$"{i:D3}.png"], PngEncoder.Encode(new RgbImage(Side, Side, pixels),
                new[] { new KeyValuePair<string, string>("Prompt", $"prompt {i / 2}") }));
        }
        var workflow = new DiversityWorkflow(TestEngine.Shared, new DiversityRequest { Metrics = new[] { DiversityMetric.Rms }, Size = 16 }, junitPath: null);
        long before = GC.GetTotalMemory(forceFullCollection: true);

        foreach (var file in Directory.GetFiles(folder.Path).Order())
        {
            Assert.Null(workflow.AddFile(file));
        }
        long held = GC.GetTotalMemory(forceFullCollection: true) - before;
        var outcome = workflow.Measure();

        Assert.True(held < 32L << 20, $"{Files} read images hold {held >> 20} MB");
        Assert.Equal(Files / 2, outcome.Reports.Count);
        Assert.All(outcome.Reports, r => Assert.Equal(2, r.Count));
        Assert.Empty(outcome.Problems);
    }
}
