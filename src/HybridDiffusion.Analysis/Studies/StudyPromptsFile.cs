namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// A study's prompts file: plain text with one prompt a line (blank lines and repeats skipped), or, when a key is given, a JSON
/// captions file whose values under that key are the prompts in file order (COCO's captions file with "caption").
/// </summary>
internal static class StudyPromptsFile
{
    /// <summary>COCO's largest captions file is under 100 MB; a larger file is refused rather than read.</summary>
    public const long MaxBytes = 512L << 20;

    public static IReadOnlyList<string> Read(string path, string? key, int take)
    {
        if (!File.Exists(path))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"Prompts file '{path}' does not exist.", path);
        }
        if (new FileInfo(path).Length > MaxBytes)
        {
            throw HybridDiffusionException.Argument(SettingId.Study, $"Prompts file '{path}' is larger than {MaxBytes >> 20} MB; split it.");
        }
        return key is null ? ReadLines(path, take) : ReadCaptions(path, key, take);
    }

    private static IReadOnlyList<string> ReadLines(string path, int take)
    {
        var prompts = new DistinctPrompts();
        try
        {
            // Strict UTF-8: a byte that is not would otherwise become U+FFFD, and two different prompts one.
            foreach (var line in File.ReadLines(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)))
            {
                if (prompts.Count == take)
                {
                    break;
                }
                prompts.Add(line);
            }
        }
        catch (DecoderFallbackException)
        {
            throw HybridDiffusionException.Argument(SettingId.Study, $"Prompts file '{path}' is not UTF-8 text; save it as UTF-8.");
        }
        return prompts.List;
    }

    // Every string value of a property named key, at any depth, in document order.
    private static IReadOnlyList<string> ReadCaptions(string path, string key, int take)
    {
        var prompts = new DistinctPrompts();
        var reader = new Utf8JsonReader(File.ReadAllBytes(path), new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (prompts.Count < take && reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(key) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    prompts.Add(reader.GetString()!);
                }
            }
        }
        catch (JsonException ex)
        {
            throw HybridDiffusionException.Argument(SettingId.Study, $"Prompts file '{path}' is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            // A "\ud800" escape: valid JSON, but half of a UTF-16 pair, which no string holds.
            throw HybridDiffusionException.Argument(SettingId.Study, $"Prompts file '{path}' holds a caption that is not valid Unicode text (half of a UTF-16 surrogate pair).");
        }
        if (prompts.Count == 0)
        {
            throw HybridDiffusionException.Argument(SettingId.Study, $"Prompts file '{path}' has no string under the key \"{key}\"; name the key that holds the captions.");
        }
        return prompts.List;
    }

    /// <summary>Prompts in first-seen order, trimmed, without blanks or repeats (captions files repeat captions).</summary>
    private sealed class DistinctPrompts
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public List<string> List { get; } = new();

        public int Count => List.Count;

        public void Add(string text)
        {
            var prompt = text.Trim();
            if (prompt.Length > 0 && _seen.Add(prompt))
            {
                List.Add(prompt);
            }
        }
    }
}
