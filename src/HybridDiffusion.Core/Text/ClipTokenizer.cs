using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace HybridDiffusion.Core.Text;

/// <summary>
/// CLIP's byte-level BPE tokenizer (Microsoft.ML.Tokenizers), read from a diffusers tokenizer folder (vocab.json +
/// merges.txt), with transformers' CLIPTokenizer rules: text is NFC-normalised, whitespace-collapsed and lower-cased
/// (HTML entities stay as typed); words end with "&lt;/w&gt;"; the start, end and pad tokens are special: their text is
/// split out before words and gets their id (so with SDXL's second tokenizer, whose pad token is "!", every "!" is id 0,
/// as transformers gives it); sequences are BOS + up to 75 tokens + EOS, padded to 77 with the pad token (EOS by default).
/// </summary>
public sealed partial class ClipTokenizer
{
    public const int MaxLength = 77;

    // The vocabulary's spellings: public for the demo writer, which builds a CLIP vocabulary of its own.

    /// <summary>The suffix of a vocabulary entry that ends a word.</summary>
    public const string WordEnd = "</w>";

    /// <summary>The start-of-text (BOS) token.</summary>
    public const string StartOfText = "<|startoftext|>";

    /// <summary>The end-of-text (EOS) token.</summary>
    public const string EndOfText = "<|endoftext|>";

    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(BpeTokenizer bpe, int bosId, int eosId, int padId)
    {
        _bpe = bpe;
        BosId = bosId;
        EosId = eosId;
        PadId = padId;
    }

    public int BosId { get; }

    public int EosId { get; }

    public int PadId { get; }

    public int VocabularySize => _bpe.Vocabulary.Count;

    /// <summary>Loads vocab.json, merges.txt and (if present) the pad token from tokenizer_config.json.</summary>
    public static ClipTokenizer Load(string folder)
    {
        var vocabPath = Path.Combine(folder, "vocab.json");
        var mergesPath = Path.Combine(folder, "merges.txt");
        foreach (var required in new[] { vocabPath, mergesPath })
        {
            if (!File.Exists(required))
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"Tokenizer file '{required}' is missing; a CLIP tokenizer folder needs vocab.json and merges.txt.", required);
            }
        }
        var vocab = ReadVocabulary(vocabPath);
        var merges = ReadMerges(mergesPath);
        return Create(vocab, merges, ReadPadToken(folder), folder);
    }

    /// <summary>
    /// A tokenizer over an in-memory vocabulary and merge list ("left right" lines, highest priority first); the demo
    /// writer grows its vocabulary with it.
    /// </summary>
    public static ClipTokenizer Create(IReadOnlyDictionary<string, int> vocab, IEnumerable<string> merges, string? padToken = null, string source = "tokenizer")
    {
        var missing = ByteUnicodeMap.ByteToChar.Select(c => c.ToString())
            .Concat(ByteUnicodeMap.ByteToChar.Select(c => c + WordEnd))
            .Append(StartOfText).Append(EndOfText)
            .FirstOrDefault(symbol => !vocab.ContainsKey(symbol));
        if (missing is not null)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Tokenizer vocabulary in '{source}' has no entry for '{missing}'; a CLIP vocabulary holds every byte symbol (with and without {WordEnd}) and the start and end tokens.", source);
        }
        // A CLIP vocabulary numbers its tokens 0 to count - 1, the rows of its text encoder's embedding table: an id
        // past that (an end-of-text id of 5,000,000) would fail inside the encoder instead of here.
        var outOfRange = vocab.FirstOrDefault(entry => entry.Value < 0 || entry.Value >= vocab.Count);
        if (outOfRange.Key is not null)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Tokenizer vocabulary in '{source}' gives '{MessageText.Quote(outOfRange.Key, 80)}' the id {outOfRange.Value}; a CLIP vocabulary numbers its " +
                $"{vocab.Count} tokens from 0 to {vocab.Count - 1}, the rows of its text encoder's embedding table.", source);
        }
        var special = new Dictionary<string, int>(StringComparer.Ordinal) { [StartOfText] = vocab[StartOfText], [EndOfText] = vocab[EndOfText] };
        int padId = special[EndOfText];
        if (padToken is not null && vocab.TryGetValue(padToken, out var configuredPad))
        {
            special[padToken] = padId = configuredPad;
        }
        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(vocab)
            {
                Merges = merges,
                ByteLevel = true,
                EndOfWordSuffix = WordEnd,
                SpecialTokens = special,
                Normalizer = new ClipNormalizer(),
                PreTokenizer = new RegexPreTokenizer(WordPattern(), special),
            });
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Tokenizer in '{source}' cannot be built: {MessageText.Quote(ex.Message, 300)} (do vocab.json and merges.txt belong together?)", source, ex);
        }
        return new ClipTokenizer(bpe, special[StartOfText], special[EndOfText], padId);
    }

    /// <summary>The 77 ids a text encoder takes: BOS, the text's tokens (truncated to 75), EOS, padding.</summary>
    public int[] Encode(string text)
    {
        var ids = new int[MaxLength];
        Array.Fill(ids, PadId);
        ids[0] = BosId;
        int count = 1;
        foreach (var id in Tokenize(text))
        {
            if (count == MaxLength - 1)
            {
                break;
            }
            ids[count++] = id;
        }
        ids[count] = EosId;
        return ids;
    }

    /// <summary>The text's tokens without special tokens, padding or truncation.</summary>
    public IReadOnlyList<int> Tokenize(string text) => _bpe.EncodeToIds(text);

    /// <summary>The vocabulary entries a text splits into (e.g. "re", "d&lt;/w&gt;").</summary>
    public IReadOnlyList<string> TokenStrings(string text) => _bpe.EncodeToTokens(text, out _).Select(t => t.Value).ToList();

    /// <summary>
    /// transformers' CLIP normalisation: NFC, each run of whitespace to one space, lower case with full case mapping
    /// (U+0130 becomes "i" + U+0307 as Rust and Python lower it; .NET's invariant lower case would give "i").
    /// A lone surrogate becomes U+FFFD first, as UTF-8 encoding would make it.
    /// </summary>
    internal static string Normalize(string text)
    {
        var wellFormed = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
        var collapsed = Whitespace().Replace(wellFormed.Normalize(NormalizationForm.FormC), " ");
        return collapsed.Replace("\u0130", "i\u0307", StringComparison.Ordinal).ToLowerInvariant();
    }

    private static Dictionary<string, int> ReadVocabulary(string path)
    {
        const string what = "Tokenizer vocabulary";
        var json = BoundedJson.ReadObject(path, what, InputLimits.VocabularyBytes, HybridErrorKind.InvalidModel);
        if (json.Count > InputLimits.VocabularyEntries)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                FormattableString.Invariant($"{what} '{path}' has {json.Count:N0} entries; at most {InputLimits.VocabularyEntries:N0} are read (CLIP's has 49,408)."), path);
        }
        var vocab = new Dictionary<string, int>(json.Count, StringComparer.Ordinal);
        foreach (var (token, _) in json)
        {
            vocab[token] = BoundedJson.Int(json, token, 0, int.MaxValue, path, HybridErrorKind.InvalidModel);
        }
        return vocab;
    }

    // "left right" lines, highest priority first, after an optional "#version" line; each line and the file are capped.
    private static List<string> ReadMerges(string path)
    {
        const string what = "Tokenizer merges";
        using var stream = InputFile.OpenRead(path, what, InputLimits.MergesBytes, HybridErrorKind.InvalidModel);
        using var text = new StreamReader(stream, Encoding.UTF8);
        var lines = new BoundedLineReader(text, InputLimits.MergesLineChars, InputLimits.MergesBytes, $"{what.ToLowerInvariant()} '{path}'", HybridErrorKind.InvalidModel);
        var merges = new List<string>();
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        while (lines.ReadLine() is string line)
        {
            if (line.Length == 0 || line.StartsWith("#version", StringComparison.Ordinal))
            {
                continue;
            }
            var space = line.IndexOf(' ');
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"{what} '{path}' line {lines.LineNumber} is not two symbols separated by one space: '{MessageText.Quote(line, 80)}'.", path);
            }
            if (!seen.TryAdd(line, lines.LineNumber))
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"{what} '{path}' line {lines.LineNumber} repeats the merge '{MessageText.Quote(line, 80)}' of line {seen[line]}; each pair may be merged once.", path);
            }
            if (merges.Count == InputLimits.VocabularyEntries)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    FormattableString.Invariant($"{what} '{path}' has more than {InputLimits.VocabularyEntries:N0} merges, the most that are read (CLIP's has 48,894)."), path);
            }
            merges.Add(line);
        }
        return merges;
    }

    // The pad token is a string, or an object whose "content" is one (transformers' AddedToken).
    private static string? ReadPadToken(string folder)
    {
        foreach (var name in new[] { "tokenizer_config.json", "special_tokens_map.json" })
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                continue;
            }
            var json = BoundedJson.ReadObject(path, "Tokenizer config", InputLimits.JsonConfigBytes, HybridErrorKind.InvalidModel);
            switch (json["pad_token"])
            {
                case null:
                    continue;
                case JsonObject added:
                    return BoundedJson.String(added, "content", path, HybridErrorKind.InvalidModel);
                default:
                    return BoundedJson.String(json, "pad_token", path, HybridErrorKind.InvalidModel);
            }
        }
        return null;
    }

    private sealed class ClipNormalizer : Normalizer
    {
        public override string Normalize(string original) => ClipTokenizer.Normalize(original);

        public override string Normalize(ReadOnlySpan<char> original) => ClipTokenizer.Normalize(original.ToString());
    }

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
