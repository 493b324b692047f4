using System.Text.Json;
using Xunit.Abstractions;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Text;

namespace HybridDiffusion.Tests.Core.Text;

/// <summary>
/// CLIP BPE behaviour: on the demo vocabulary, against the ids transformers' CLIPTokenizer gave on the diffusers
/// reference tokenizers (../shared/diffusers-reference/tokenizer_ids.json), and on OpenAI CLIP's real vocabulary.
/// </summary>
public sealed class TokenizerTests(ITestOutputHelper output)
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
    public void HtmlEntitiesStayAsTypedAsInTransformers()
    {
        Assert.Equal(Tokenizer.Tokenize("red & amp ; blue"), Tokenizer.Tokenize("red &amp; blue"));
        Assert.NotEqual(Tokenizer.Tokenize("red & blue"), Tokenizer.Tokenize("red &amp; blue"));
    }

    [Fact]
    public void TextIsNfcNormalisedAndLowerCasedWithFullCaseMapping()
    {
        Assert.Equal(Tokenizer.Tokenize("caf\u00e9"), Tokenizer.Tokenize("cafe\u0301"));
        Assert.Equal(Tokenizer.Tokenize("i\u0307stanbul"), Tokenizer.Tokenize("\u0130stanbul"));
        Assert.Equal(Tokenizer.Tokenize("\ufffd"), Tokenizer.Tokenize("\ud800"));
    }

    [Fact]
    public void SpecialTokenTextIsSplitOutBeforeWords()
    {
        var ids = Tokenizer.Tokenize("red;<|endoftext|>");
        Assert.Equal(new[] { Tokenizer.Tokenize("red")[0], Tokenizer.Tokenize(";")[0], Tokenizer.EosId }, ids);
    }

    [Fact]
    public void AVocabularyWithoutTheByteSymbolsIsRefusedNamingTheFolder()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder["vocab.json"], "{\"a</w>\": 0, \"<|startoftext|>\": 1, \"<|endoftext|>\": 2}");
        File.WriteAllText(folder["merges.txt"], "#version: 0.2\n");
        var error = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Equal(HybridErrorKind.InvalidModel, error.Kind);
        Assert.Contains(folder.Path, error.Message);
        Assert.Contains("byte symbol", error.Message);
    }

    [ReferenceFact]
    public void IdsEqualTransformersForEveryReferencePrompt()
    {
        var reference = SharedData.RequireDiffusersReference();
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(reference, "tokenizer_ids.json")));
        var tokenizers = new Dictionary<string, ClipTokenizer>
        {
            ["tokenizer"] = ClipTokenizer.Load(Path.Combine(reference, "sd-tiny", "tokenizer")),
            ["tokenizer_2"] = ClipTokenizer.Load(Path.Combine(reference, "sdxl-tiny", "tokenizer_2")),
        };
        var mismatches = new List<string>();
        foreach (var (name, tokenizer) in tokenizers)
        {
            int matches = 0, total = 0;
            foreach (var entry in cases.RootElement.EnumerateArray())
            {
                var prompt = entry.GetProperty("prompt").GetString()!;
                var expected = entry.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var actual = tokenizer.Encode(prompt);
                total++;
                if (expected.SequenceEqual(actual))
                {
                    matches++;
                }
                else
                {
                    mismatches.Add($"{name} {JsonSerializer.Serialize(prompt)}: expected [{string.Join(' ', expected)}], got [{string.Join(' ', actual)}]");
                }
            }
            output.WriteLine($"{name}: {matches}/{total} prompts give transformers' ids");
        }
        Assert.True(cases.RootElement.GetArrayLength() >= 21, "tokenizer_ids.json should hold the 21 recorded prompts");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [ReferenceFact]
    public void SdxlPadTokenIsSplitOutOfWordsAsInTransformers()
    {
        var reference = SharedData.RequireDiffusersReference();
        var second = ClipTokenizer.Load(Path.Combine(reference, "sdxl-tiny", "tokenizer_2"));
        Assert.Equal(0, second.PadId);
        // "!" is the pad token (id 0) wherever it appears, not the BPE symbol "!</w>" (256) or part of a run "?!".
        Assert.Equal(new[] { second.Tokenize("horse")[0], 0, 0 }, second.Tokenize("horse!!"));
        Assert.Equal(new[] { second.Tokenize("?")[0], 0 }, second.Tokenize("?!"));
        // The first tokenizer pads with its end token, so "!" is ordinary text there.
        var first = ClipTokenizer.Load(Path.Combine(reference, "sd-tiny", "tokenizer"));
        Assert.Equal(256, first.Tokenize("horse!")[1]);
    }

    [ClipVocabularyFact]
    public void OpenAiClipVocabularyGivesItsKnownIds()
    {
        var clip = ClipTokenizer.Load(ClipVocabularyFolder.Path);
        Assert.Equal(49408, clip.VocabularySize);
        var ids = clip.Encode("a photo of a cat");
        Assert.Equal(new[] { 49406, 320, 1125, 539, 320, 2368, 49407 }, ids[..7]);
        Assert.All(ids[7..], id => Assert.Equal(49407, id));
    }
}
