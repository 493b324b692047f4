using System.Text.Json.Nodes;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Text;

namespace HybridDiffusion.Tests.Core.Text;

/// <summary>
/// Damaged or oversized tokenizer folders (vocab.json, merges.txt, tokenizer_config.json) end in a message naming the
/// file, read in bounded memory, and never repeat what they hold (issue 24).
/// </summary>
public sealed class TokenizerInputTests
{
    [Theory]
    [InlineData("{\"pad_token\": \"<|endoftext|>\"", "is not valid JSON")]
    [InlineData("{\"pad_token\": 5}", "\"pad_token\" must be a string; it is 5")]
    [InlineData("{\"pad_token\": {\"content\": []}}", "\"content\" must be a string")]
    [InlineData("{\"pad_token\": \"!\", \"pad_token\": \"?\"}", "names a key twice")]
    [InlineData("[1, 2]", "must hold a JSON object")]
    public void ADamagedTokenizerConfigIsNamed(string config, string expected)
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "tokenizer_config.json");
        File.WriteAllText(path, config);
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ATokenizerConfigNestedDeeperThanTheCapIsNamed()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "tokenizer_config.json");
        File.WriteAllText(path, "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}");
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("64 levels", ex.Message);
    }

    [Fact]
    public void AnEndOfTextIdBeyondTheVocabularyIsRefusedAtLoad()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "vocab.json");
        var vocab = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        vocab[ClipTokenizer.EndOfText] = 5_000_000;
        File.WriteAllText(path, vocab.ToJsonString());
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains($"gives '{ClipTokenizer.EndOfText}' the id 5000000", ex.Message);
    }

    [Fact]
    public void AVocabularyOverItsCapIsRefusedBeforeReading()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "vocab.json");
        using (var stream = File.Open(path, FileMode.Truncate))
        {
            stream.SetLength(InputLimits.VocabularyBytes + 1);
        }
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("over the limit of 16 MiB", ex.Message);
    }

    [Fact]
    public void ALongMergesLineIsRefusedByLineNumberWithoutRepeatingIt()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "merges.txt");
        File.AppendAllText(path, new string('x', 300_000) + " y\n");
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains("is longer than 1,024 characters", ex.Message);
        Assert.True(ex.Message.Length < 1000, ex.Message);
    }

    [Fact]
    public void ARepeatedMergeIsNamedByItsLines()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "merges.txt");
        var lines = File.ReadAllLines(path);
        var first = lines.First(l => l.Length > 0 && !l.StartsWith('#'));
        File.AppendAllText(path, first + "\n");
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains($"line {lines.Length + 1} repeats the merge '{first}' of line {Array.IndexOf(lines, first) + 1}", ex.Message);
    }

    private static TempFolder TokenizerCopy()
    {
        var folder = new TempFolder();
        foreach (var file in Directory.GetFiles(Path.Combine(DemoPair.Paths.BaseModel, "tokenizer")))
        {
            File.Copy(file, folder[Path.GetFileName(file)]);
        }
        return folder;
    }
}
