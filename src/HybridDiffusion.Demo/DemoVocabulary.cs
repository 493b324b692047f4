using System.Text;
using System.Text.Json;
using HybridDiffusion.Core.Text;

namespace HybridDiffusion.Demo;

/// <summary>
/// A small CLIP-format vocabulary for the demo text encoder: the 512 byte-level symbols, merges that make each
/// demo word a single token, and the start/end tokens, written as vocab.json + merges.txt.
/// </summary>
internal sealed class DemoVocabulary
{
    private DemoVocabulary(Dictionary<string, int> vocab, List<(string, string)> merges)
    {
        Vocab = vocab;
        Merges = merges;
    }

    public Dictionary<string, int> Vocab { get; }

    public List<(string Left, string Right)> Merges { get; }

    public static DemoVocabulary Build(IEnumerable<string> words)
    {
        var symbols = ByteUnicodeMap.ByteToChar.Select(c => c.ToString()).ToList();
        symbols.AddRange(ByteUnicodeMap.ByteToChar.Select(c => c + ClipTokenizer.WordEnd));
        var merges = new List<(string, string)>();
        foreach (var word in words)
        {
            // Adding a merge at the lowest priority never changes how earlier words split: each is already one token.
            IReadOnlyList<string> pieces;
            while ((pieces = Split(word, symbols, merges)).Count > 1)
            {
                merges.Add((pieces[0], pieces[1]));
                symbols.Add(pieces[0] + pieces[1]);
            }
        }
        symbols.Add(ClipTokenizer.StartOfText);
        symbols.Add(ClipTokenizer.EndOfText);
        var vocab = new Dictionary<string, int>();
        foreach (var symbol in symbols)
        {
            vocab.TryAdd(symbol, vocab.Count);
        }
        return new DemoVocabulary(vocab, merges);
    }

    /// <summary>How the tokenizer splits <paramref name="word"/> with the symbols and merges so far.</summary>
    private static IReadOnlyList<string> Split(string word, List<string> symbols, List<(string Left, string Right)> merges)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var symbol in symbols.Append(ClipTokenizer.StartOfText).Append(ClipTokenizer.EndOfText))
        {
            vocab.TryAdd(symbol, vocab.Count);
        }
        return ClipTokenizer.Create(vocab, merges.Select(m => $"{m.Left} {m.Right}")).TokenStrings(word);
    }

    public int IdOf(string word) => Vocab[word + ClipTokenizer.WordEnd];

    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "vocab.json"), JsonSerializer.Serialize(Vocab), Encoding.UTF8);
        var merges = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in Merges)
        {
            merges.Append(left).Append(' ').Append(right).Append('\n');
        }
        File.WriteAllText(Path.Combine(directory, "merges.txt"), merges.ToString(), Encoding.UTF8);
        var config = "{\n  \"bos_token\": \"<|startoftext|>\",\n  \"eos_token\": \"<|endoftext|>\",\n" +
            "  \"pad_token\": \"<|endoftext|>\",\n  \"unk_token\": \"<|endoftext|>\",\n  \"model_max_length\": 77,\n" +
            "  \"do_lower_case\": true,\n  \"tokenizer_class\": \"CLIPTokenizer\"\n}\n";
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), config, Encoding.UTF8);
    }
}
