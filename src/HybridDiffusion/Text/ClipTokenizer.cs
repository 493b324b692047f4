using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HybridDiffusion.Text;

/// <summary>
/// CLIP's byte-level BPE tokenizer, read from a diffusers tokenizer folder (vocab.json + merges.txt).
/// Text is HTML-unescaped, whitespace-collapsed and lower-cased; words end with "&lt;/w&gt;";
/// sequences are BOS + up to 75 tokens + EOS, padded to 77 with the folder's pad token (EOS by default).
/// </summary>
public sealed partial class ClipTokenizer
{
    public const int MaxLength = 77;
    internal const string WordEnd = "</w>";
    internal const string StartOfText = "<|startoftext|>";
    internal const string EndOfText = "<|endoftext|>";

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<(string, string), int> _mergeRanks;
    private readonly ConcurrentDictionary<string, int[]> _wordCache = new(StringComparer.Ordinal);

    private ClipTokenizer(Dictionary<string, int> vocab, Dictionary<(string, string), int> mergeRanks, int padId)
    {
        _vocab = vocab;
        _mergeRanks = mergeRanks;
        BosId = Lookup(StartOfText);
        EosId = Lookup(EndOfText);
        PadId = padId < 0 ? EosId : padId;
    }

    public int BosId { get; }

    public int EosId { get; }

    public int PadId { get; }

    public int VocabularySize => _vocab.Count;

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

        var ranks = new Dictionary<(string, string), int>();
        foreach (var line in File.ReadLines(mergesPath))
        {
            if (line.Length == 0 || line.StartsWith("#version", StringComparison.Ordinal))
            {
                continue;
            }
            var space = line.IndexOf(' ');
            if (space <= 0)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"Tokenizer merges '{mergesPath}' has a line without two symbols: '{line}'.", mergesPath);
            }
            ranks.TryAdd((line[..space], line[(space + 1)..]), ranks.Count);
        }

        var tokenizer = new ClipTokenizer(vocab, ranks, ReadPadId(folder, vocab));
        return tokenizer;
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
    public List<int> Tokenize(string text)
    {
        var result = new List<int>();
        foreach (Match match in WordPattern().Matches(Normalize(text)))
        {
            result.AddRange(_wordCache.GetOrAdd(match.Value, EncodeWord));
        }
        return result;
    }

    internal static string Normalize(string text)
    {
        var unescaped = WebUtility.HtmlDecode(WebUtility.HtmlDecode(text));
        return Whitespace().Replace(unescaped, " ").Trim().ToLowerInvariant();
    }

    private int[] EncodeWord(string word)
    {
        if (word is StartOfText or EndOfText)
        {
            return new[] { Lookup(word) };
        }
        var symbols = ApplyMerges(word, _mergeRanks);
        var ids = new int[symbols.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = Lookup(symbols[i]);
        }
        return ids;
    }

    /// <summary>Byte-level BPE of one word: its UTF-8 bytes as symbols (last one marked as word end), merged by rank.</summary>
    internal static List<string> ApplyMerges(string word, IReadOnlyDictionary<(string, string), int> mergeRanks)
    {
        var bytes = Encoding.UTF8.GetBytes(word);
        var symbols = new List<string>(bytes.Length);
        foreach (var b in bytes)
        {
            symbols.Add(ByteUnicodeMap.ByteToChar[b].ToString());
        }
        symbols[^1] += WordEnd;

        while (symbols.Count > 1)
        {
            int bestRank = int.MaxValue, bestIndex = -1;
            for (int i = 0; i < symbols.Count - 1; i++)
            {
                if (mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    bestIndex = i;
                }
            }
            if (bestIndex < 0)
            {
                break;
            }
            // Merge every occurrence of the best pair, left to right, as CLIP's reference BPE does.
            var (first, second) = (symbols[bestIndex], symbols[bestIndex + 1]);
            var merged = new List<string>(symbols.Count);
            for (int i = 0; i < symbols.Count; i++)
            {
                if (i < symbols.Count - 1 && symbols[i] == first && symbols[i + 1] == second)
                {
                    merged.Add(first + second);
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }
            symbols = merged;
        }
        return symbols;
    }

    private int Lookup(string token) => _vocab.TryGetValue(token, out var id)
        ? id
        : throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
            $"Tokenizer vocabulary has no entry for '{token}'; vocab.json and merges.txt do not belong together.", "vocab.json");

    private static int ReadPadId(string folder, Dictionary<string, int> vocab)
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
            var content = pad.ValueKind == JsonValueKind.Object && pad.TryGetProperty("content", out var c) ? c.GetString() : pad.GetString();
            if (content is not null && vocab.TryGetValue(content, out var id))
            {
                return id;
            }
        }
        return -1;
    }

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
