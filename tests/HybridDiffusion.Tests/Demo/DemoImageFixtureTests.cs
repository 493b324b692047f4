using System.Security.Cryptography;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Tests.Demo;

/// <summary>
/// Pins the demo pair's images, as decoded from the PNG files written, to recorded pixels (demo version 6 proved them
/// unchanged when PNG writing and tokenizing moved onto ImageSharp and Microsoft.ML.Tokenizers; version 7's, unchanged in version 8, whose
/// colour-tint layer is zero until a slider sets it). A change to the codec, the tokenizer
/// or the engine's arithmetic that alters any pixel fails here. When the demo pair itself changes (its version goes
/// up), record the new hashes from this test's failure message.
/// </summary>
public sealed class DemoImageFixtureTests
{
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["a-big-golden-box-on-the-left-amp-more-base-1.png"] = "b958ce3749ac5533e81adcc7b5d99f8831f0b7d0dd81020da446211cab56df21",
        ["a-big-golden-box-on-the-left-amp-more-base-42.png"] = "b958ce3749ac5533e81adcc7b5d99f8831f0b7d0dd81020da446211cab56df21",
        ["a-big-golden-box-on-the-left-amp-more-distilled-1.png"] = "b958ce3749ac5533e81adcc7b5d99f8831f0b7d0dd81020da446211cab56df21",
        ["a-big-golden-box-on-the-left-amp-more-distilled-42.png"] = "b958ce3749ac5533e81adcc7b5d99f8831f0b7d0dd81020da446211cab56df21",
        ["a-big-golden-box-on-the-left-amp-more-hybrid-1.png"] = "b958ce3749ac5533e81adcc7b5d99f8831f0b7d0dd81020da446211cab56df21",
        ["a-big-golden-box-on-the-left-amp-more-hybrid-42.png"] = "b958ce3749ac5533e81adcc7b5d99f8831f0b7d0dd81020da446211cab56df21",
        ["a-red-circle-base-1.png"] = "111683cc11e0946bb1206ae8212cfa383a809c82f6a7f14b3b32d3a2e2dd5a74",
        ["a-red-circle-base-42.png"] = "0debc0bfbeb95a6e9406cf535492a8504904e7d1a0de53e0195cc21a479bd072",
        ["a-red-circle-distilled-1.png"] = "02980f4fc5a96ce8cb2e6214bd0e92d61afae9ab900dbe5b3b31e7a2221836d3",
        ["a-red-circle-distilled-42.png"] = "02980f4fc5a96ce8cb2e6214bd0e92d61afae9ab900dbe5b3b31e7a2221836d3",
        ["a-red-circle-hybrid-1.png"] = "02980f4fc5a96ce8cb2e6214bd0e92d61afae9ab900dbe5b3b31e7a2221836d3",
        ["a-red-circle-hybrid-42.png"] = "02980f4fc5a96ce8cb2e6214bd0e92d61afae9ab900dbe5b3b31e7a2221836d3",
    };

    [Fact]
    public void DemoImagesDecodeToTheRecordedPixels()
    {
        using var folder = new TempFolder();
        var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var prompt in new[] { "a red circle", "A big, golden box!  on the left &amp; more" })
        {
            var request = DemoPair.Request(prompt, GenerationMode.Hybrid, new long[] { 1, 42 }) with
            {
                Modes = new[] { GenerationMode.Hybrid, GenerationMode.Distilled, GenerationMode.Base },
                OutputDirectory = folder.Path,
            };
            foreach (var image in TestEngine.Shared.Generate(request))
            {
                var pixels = PngDecoder.Decode(image.Path!).Image.Pixels;
                actual[Path.GetFileName(image.Path!)] = Convert.ToHexString(SHA256.HashData(pixels)).ToLowerInvariant();
            }
        }
        var listing = string.Join("\n", actual.Select(p => $"[\"{p.Key}\"] = \"{p.Value}\","));
        Assert.True(Expected.Count == actual.Count && Expected.All(p => actual.TryGetValue(p.Key, out var h) && h == p.Value),
            $"Demo images (demo version {HybridDiffusion.Demo.DemoModels.Version}; recorded for versions 7 and 8) differ from the recorded pixels:\n{listing}");
    }
}
