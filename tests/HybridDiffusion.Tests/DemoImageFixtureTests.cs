using System.Security.Cryptography;
using HybridDiffusion.Imaging;
using HybridDiffusion.Sampling;

namespace HybridDiffusion.Tests;

/// <summary>
/// Pins the demo pair's images, as decoded from the PNG files written, to the pixels of demo version 6 recorded before
/// PNG writing and tokenizing moved onto ImageSharp and Microsoft.ML.Tokenizers. A change to the codec, the tokenizer
/// or the engine's arithmetic that alters any pixel fails here. When the demo pair itself changes (its version goes
/// up), record the new hashes from this test's failure message.
/// </summary>
public sealed class DemoImageFixtureTests
{
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["a-big-golden-box-on-the-left-amp-more-base-1.png"] = "0c3b36b1aa0402535cf0c4bfda6ef9bdfcd6358d3f49717aa70eeb4774a817cb",
        ["a-big-golden-box-on-the-left-amp-more-base-42.png"] = "69a6a1eb07631066dbd6b2a2de08ef4ab517324a94f8ed34993c77c791cb385b",
        ["a-big-golden-box-on-the-left-amp-more-distilled-1.png"] = "eefdd25104db6cbe19da84aec64ab67af502c069c0ebf96790c58df271efdb09",
        ["a-big-golden-box-on-the-left-amp-more-distilled-42.png"] = "d29ac9feefcc0eb8d8b9f964e453f9a03c42e96de1527f4bd53f3d9622dd9314",
        ["a-big-golden-box-on-the-left-amp-more-hybrid-1.png"] = "eefdd25104db6cbe19da84aec64ab67af502c069c0ebf96790c58df271efdb09",
        ["a-big-golden-box-on-the-left-amp-more-hybrid-42.png"] = "d29ac9feefcc0eb8d8b9f964e453f9a03c42e96de1527f4bd53f3d9622dd9314",
        ["a-red-circle-base-1.png"] = "ec6725d9e74e97fe1f1c72097ff53b19e77b6835da027da7db3e3c6bbd67da18",
        ["a-red-circle-base-42.png"] = "057239539227fb10c362c5a0e4dbff0776a9396643fa6139860af80ae1f76107",
        ["a-red-circle-distilled-1.png"] = "0468316242e9798d0d712ec6d2bb952a438483195ac0e46d2ca8d6bd9be37a7c",
        ["a-red-circle-distilled-42.png"] = "90e51c30733144fbaf144b1f5b1f78b1706271ab60a13e3d8d46ff2ae329b455",
        ["a-red-circle-hybrid-1.png"] = "0468316242e9798d0d712ec6d2bb952a438483195ac0e46d2ca8d6bd9be37a7c",
        ["a-red-circle-hybrid-42.png"] = "90e51c30733144fbaf144b1f5b1f78b1706271ab60a13e3d8d46ff2ae329b455",
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
            foreach (var image in HybridGenerator.Generate(request))
            {
                var pixels = PngDecoder.Decode(image.Path!).Image.Pixels;
                actual[Path.GetFileName(image.Path!)] = Convert.ToHexString(SHA256.HashData(pixels)).ToLowerInvariant();
            }
        }
        var listing = string.Join("\n", actual.Select(p => $"[\"{p.Key}\"] = \"{p.Value}\","));
        Assert.True(Expected.Count == actual.Count && Expected.All(p => actual.TryGetValue(p.Key, out var h) && h == p.Value),
            $"Demo images (demo version {Demo.DemoModels.Version}; recorded for version 6) differ from the recorded pixels:\n{listing}");
    }
}
