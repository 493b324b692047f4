using HybridDiffusion.Text;

namespace HybridDiffusion.Tests;

/// <summary>CLIP BPE behaviour on the demo vocabulary (real CLIP vocabularies cannot be downloaded here).</summary>
public sealed class TokenizerTests
{
    private static readonly ClipTokenizer Tokenizer = ClipTokenizer.Load(Path.Combine(DemoPair.Paths.BaseModel, "tokenizer"));

    [Fact]
    public void CaseAndWhitespaceDoNotChangeTokens() =>
        Assert.Equal(Tokenizer.Tokenize("a red circle"), Tokenizer.Tokenize("  A\tRED \n  Circle  "));

    [Fact]
    public void KnownWordsAreSingleTokensAndSequencesAreFramedAndPadded()
    {
        var ids = Tokenizer.Encode("red circle");
        Assert.Equal(ClipTokenizer.MaxLength, ids.Length);
        Assert.Equal(Tokenizer.BosId, ids[0]);
        Assert.Equal(Tokenizer.EosId, ids[3]);
        Assert.All(ids.Skip(4), id => Assert.Equal(Tokenizer.PadId, id));
        Assert.Equal(2, Tokenizer.Tokenize("red circle").Count);
    }

    [Fact]
    public void LongPromptsAreTruncatedTo77KeepingEos()
    {
        var ids = Tokenizer.Encode(string.Join(' ', Enumerable.Repeat("red", 200)));
        Assert.Equal(77, ids.Length);
        Assert.Equal(Tokenizer.BosId, ids[0]);
        Assert.Equal(Tokenizer.EosId, ids[76]);
        Assert.DoesNotContain(Tokenizer.EosId, ids[1..76]);
    }

    [Fact]
    public void PunctuationSplitsFromWords()
    {
        var withPunctuation = Tokenizer.Tokenize("red, circle!");
        Assert.Equal(4, withPunctuation.Count);
        Assert.Equal(Tokenizer.Tokenize("red")[0], withPunctuation[0]);
        Assert.Equal(Tokenizer.Tokenize("circle")[0], withPunctuation[2]);
    }

    [Fact]
    public void NonAsciiTextEncodesAsUtf8Bytes()
    {
        // "é" is two UTF-8 bytes; with no merge for them, the word is two byte-level tokens.
        Assert.Equal(2, Tokenizer.Tokenize("é").Count);
        Assert.NotEmpty(Tokenizer.Tokenize("日本 🎨"));
        Assert.Equal(Tokenizer.Tokenize("café"), Tokenizer.Tokenize("CAFÉ"));
    }

    [Fact]
    public void EmptyPromptIsBosEosAndPadding()
    {
        var ids = Tokenizer.Encode("");
        Assert.Equal(new[] { Tokenizer.BosId, Tokenizer.EosId }, ids[..2]);
        Assert.All(ids[2..], id => Assert.Equal(Tokenizer.PadId, id));
        Assert.Equal(Tokenizer.Encode("   "), ids);
    }

    [Fact]
    public void HtmlEntitiesAreUnescaped() => Assert.Equal(Tokenizer.Tokenize("red & blue"), Tokenizer.Tokenize("red &amp; blue"));
}
