using System.Net;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace HybridDiffusion.Text;

/// <summary>CLIP's byte-level BPE on Microsoft.ML.Tokenizers (being proven equal to <see cref="ClipTokenizer"/>).</summary>
internal sealed partial class LibraryClipTokenizer
{
    private readonly BpeTokenizer _bpe;

    private LibraryClipTokenizer(BpeTokenizer bpe) => _bpe = bpe;

    public static LibraryClipTokenizer Create(IEnumerable<KeyValuePair<string, int>> vocab, IEnumerable<string> merges)
    {
        var entries = vocab.ToList();
        var special = entries.Where(e => e.Key is ClipTokenizer.StartOfText or ClipTokenizer.EndOfText)
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        return new LibraryClipTokenizer(BpeTokenizer.Create(new BpeOptions(entries)
        {
            Merges = merges,
            ByteLevel = true,
            EndOfWordSuffix = ClipTokenizer.WordEnd,
            SpecialTokens = special,
            Normalizer = new ClipNormalizer(),
            PreTokenizer = new RegexPreTokenizer(WordPattern(), special),
        }));
    }

    public IReadOnlyList<int> Tokenize(string text) => _bpe.EncodeToIds(text);

    private sealed class ClipNormalizer : Normalizer
    {
        public override string Normalize(string original) => ClipTokenizer.Normalize(original);

        public override string Normalize(ReadOnlySpan<char> original) => ClipTokenizer.Normalize(original.ToString());
    }

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase)]
    private static partial Regex WordPattern();
}
