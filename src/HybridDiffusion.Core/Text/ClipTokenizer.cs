using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using HybridDiffusion.Contracts;

namespace HybridDiffusion.Core.Text;

/// <summary>
/// CLIP's byte-level BPE tokenizer (Microsoft.ML.Tokenizers), read from a diffusers tokenizer folder (vocab.json +
/// merges.txt), with transformers' CLIPTokenizer rules: text is NFC-normalised, whitespace-collapsed and lower-cased
/// (HTML entities stay as typed); words end with "&lt;/w&gt;"; the start, end and pad tokens are special: their text is
/// split out before words and gets their id (so with SDXL's second tokenizer, whose pad token is "!", every "!" is id 0,
/// as transformers gives it); sequences are BOS + up to 75 tokens + EOS, padded to 77 with the pad token (EOS by default).
/// </summary>
internal sealed partial class ClipTokenizer
{
    public const int MaxLength = 77;
    internal const string WordEnd = "</w>";
    internal const string StartOfText = "<|startoftext|>";
    internal const string EndOfText = "<|endoftext|>";

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

        Dictionary<string, int> vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabPath))
                ?? throw new JsonException("empty document");
        }
        catch (JsonException ex)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Tokenizer vocabulary '{vocabPath}' is not a JSON object of token to id: {ex.Message}", vocabPath, ex);
        }

        var merges = new List<string>();
        foreach (var line in File.ReadLines(mergesPath))
        {
            if (line.Length == 0 || line.StartsWith("#version", StringComparison.Ordinal))
            {
                continue;
            }
            var space = line.IndexOf(' ');
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"Tokenizer merges '{mergesPath}' has a line that is not two symbols separated by one space: '{line}'.", mergesPath);
            }
            merges.Add(line);
        }
        return Create(vocab, merges, ReadPadToken(folder), folder);
    }

    /// <summary>A tokenizer over an in-memory vocabulary and merge list ("left right" lines, highest priority first).</summary>
    internal static ClipTokenizer Create(IReadOnlyDictionary<string, int> vocab, IEnumerable<string> merges, string? padToken = null, string source = "tokenizer")
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
                $"Tokenizer in '{source}' cannot be built: {ex.Message} (do vocab.json and merges.txt belong together?)", source, ex);
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
    internal IReadOnlyList<string> TokenStrings(string text) => _bpe.EncodeToTokens(text, out _).Select(t => t.Value).ToList();

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

    private static string? ReadPadToken(string folder)
    {
        foreach (var name in new[] { "tokenizer_config.json", "special_tokens_map.json" })
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (!doc.RootElement.TryGetProperty("pad_token", out var pad))
            {
                continue;
            }
            return pad.ValueKind == JsonValueKind.Object && pad.TryGetProperty("content", out var c) ? c.GetString() : pad.GetString();
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
