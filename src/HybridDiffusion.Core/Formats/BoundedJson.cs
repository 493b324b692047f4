using System.Text.Json;
using System.Text.Json.Nodes;

namespace HybridDiffusion.Core.Formats;

/// <summary>
/// The one reader of every JSON file the tool reads (model configs, tokenizer files, reference cases, the demo cache's
/// manifest): a size cap checked before reading (see <see cref="InputFile"/>), a depth cap of
/// <see cref="InputLimits.JsonDepth"/>, a JSON object at the top, and no key twice. Every problem is an engine error of
/// the caller's kind that names the file; the getters name the key too.
/// </summary>
public static class BoundedJson
{
    /// <summary>Reads <paramref name="path"/> (at most <paramref name="maxBytes"/>) as a JSON object.</summary>
    /// <param name="what">What the file is, in words, for messages ("Model config").</param>
    public static JsonObject ReadObject(string path, string what, long maxBytes, HybridErrorKind kind) =>
        ParseObject(InputFile.ReadAllBytes(path, what, maxBytes, kind), path, what, kind);

    /// <summary>Parses UTF-8 JSON text as an object; <paramref name="path"/> only names the source in messages.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8, string path, string what, HybridErrorKind kind)
    {
        // A byte-order mark is allowed, as File.ReadAllText allows it (Windows editors write one).
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }
        // The JSON reader checks UTF-8 inside strings only when they are read; check it whole, first.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            throw new HybridDiffusionException(kind, $"{what} '{path}' is not UTF-8 text, so it is not JSON.", path);
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = InputLimits.JsonDepth });
            // JsonObject checks for repeated keys only when first read: read the whole tree now, inside this handler.
            Touch(node);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is long line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            throw new HybridDiffusionException(kind,
                $"{what} '{path}' is not valid JSON{where}: {MessageText.Quote(ex.Message.Split(" LineNumber:")[0])} " +
                $"(JSON is read at most {InputLimits.JsonDepth} levels deep).", path, ex);
        }
        catch (ArgumentException ex)
        {
            throw new HybridDiffusionException(kind, $"{what} '{path}' names a key twice in one object; each key may appear once.", path, ex);
        }
        return node as JsonObject ?? throw new HybridDiffusionException(kind,
            $"{what} '{path}' must hold a JSON object ({{ \"key\": value, ... }}); it holds {Describe(node)}.", path);
    }

    /// <summary>A JSON value as a message shows it: its JSON text, cut short.</summary>
    public static string Describe(JsonNode? node) => node is null ? "null" : MessageText.Quote(node.ToJsonString(), 60);

    /// <summary>The string at <paramref name="key"/>; null when absent and <paramref name="required"/> is false.</summary>
    public static string? String(JsonObject json, string key, string path, HybridErrorKind kind, bool required = true) => json[key] switch
    {
        null when !required => null,
        var n when n?.GetValueKind() == JsonValueKind.String => n.GetValue<string>(),
        var n => throw Wrong(json, key, "a string", n, path, kind),
    };

    /// <summary>The number at <paramref name="key"/>, finite.</summary>
    public static double Number(JsonObject json, string key, string path, HybridErrorKind kind) => json[key] switch
    {
        var n when n?.GetValueKind() == JsonValueKind.Number && n.AsValue().TryGetValue<double>(out var d) && double.IsFinite(d) => d,
        var n => throw Wrong(json, key, "a number", n, path, kind),
    };

    /// <summary>The whole number at <paramref name="key"/>, in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static int Int(JsonObject json, string key, int minimum, int maximum, string path, HybridErrorKind kind) => json[key] switch
    {
        var n when n?.GetValueKind() == JsonValueKind.Number && n.AsValue().TryGetValue<double>(out var d) && d == Math.Floor(d) && d >= minimum && d <= maximum => (int)d,
        var n => throw Wrong(json, key, $"a whole number from {minimum} to {maximum}", n, path, kind),
    };

    /// <summary>The object at <paramref name="key"/>; null when absent and <paramref name="required"/> is false.</summary>
    public static JsonObject? Object(JsonObject json, string key, string path, HybridErrorKind kind, bool required = true) => json[key] switch
    {
        null when !required => null,
        JsonObject o => o,
        var n => throw Wrong(json, key, "an object", n, path, kind),
    };

    /// <summary>The array of numbers at <paramref name="key"/>, each finite.</summary>
    public static IReadOnlyList<double> Numbers(JsonObject json, string key, string path, HybridErrorKind kind) =>
        Elements(json, key, path, kind, "numbers", n => n?.GetValueKind() == JsonValueKind.Number && n.AsValue().TryGetValue<double>(out var d) && double.IsFinite(d) ? (true, d) : (false, 0));

    /// <summary>The array of strings at <paramref name="key"/>.</summary>
    public static IReadOnlyList<string> Strings(JsonObject json, string key, string path, HybridErrorKind kind) =>
        Elements(json, key, path, kind, "strings", n => n?.GetValueKind() == JsonValueKind.String ? (true, n.GetValue<string>()) : (false, ""));

    /// <summary>The array of objects at <paramref name="key"/>.</summary>
    public static IReadOnlyList<JsonObject> Objects(JsonObject json, string key, string path, HybridErrorKind kind) =>
        Elements(json, key, path, kind, "objects", n => n is JsonObject o ? (true, o) : (false, new JsonObject()));

    /// <summary>An error for the value at <paramref name="key"/>, naming the file, the key and what was expected.</summary>
    public static HybridDiffusionException Wrong(JsonObject json, string key, string expected, JsonNode? value, string path, HybridErrorKind kind,
        bool present = false) =>
        new(kind, present || json.ContainsKey(key)
            ? $"'{path}': \"{MessageText.Quote(key, 80)}\" must be {expected}; it is {Describe(value)}."
            : $"'{path}' lacks \"{MessageText.Quote(key, 80)}\" ({expected}).", path);

    private static IReadOnlyList<T> Elements<T>(JsonObject json, string key, string path, HybridErrorKind kind, string expected, Func<JsonNode?, (bool Ok, T Value)> element)
    {
        if (json[key] is not JsonArray array)
        {
            throw Wrong(json, key, $"an array of {expected}", json[key], path, kind);
        }
        var values = new List<T>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            var (ok, value) = element(array[i]);
            values.Add(ok ? value : throw Wrong(json, $"{key}[{i}]", $"one of the {expected} of \"{key}\"", array[i], path, kind, present: true));
        }
        return values;
    }

    private static void Touch(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Touch(value);
                }
                break;
            case JsonArray array:
                foreach (var value in array)
                {
                    Touch(value);
                }
                break;
        }
    }
}
