using System.Text.Json;
using System.Text.Json.Nodes;

namespace HybridDiffusion.Core.Formats;

/// <summary>
/// Typed, range-checked reads of a model's JSON config files (model_index.json, scheduler_config.json, config.json),
/// read through <see cref="BoundedJson"/>. Every problem is an <see cref="HybridErrorKind.InvalidModel"/> error naming the file and the key, never a raw
/// JSON exception; an absent key or a JSON null means "use the default".
/// </summary>
internal sealed class ConfigJson
{
    private readonly JsonObject _root;

    private ConfigJson(JsonObject root, string file)
    {
        _root = root;
        File = file;
    }

    /// <summary>The file the config came from, as errors name it.</summary>
    public string File { get; }

    public static ConfigJson Load(string path) =>
        new(BoundedJson.ReadObject(path, "Model config", InputLimits.JsonConfigBytes, HybridErrorKind.InvalidModel), path);

    public static ConfigJson Parse(string json, string file) =>
        new(BoundedJson.ParseObject(System.Text.Encoding.UTF8.GetBytes(json), file, "Model config", HybridErrorKind.InvalidModel), file);

    public string? String(string key) => _root[key] switch
    {
        null => null,
        var n when n.GetValueKind() == JsonValueKind.String => n.GetValue<string>(),
        var n => throw Wrong(key, "a string", n),
    };

    public bool? Bool(string key) => _root[key] switch
    {
        null => null,
        var n when n.GetValueKind() == JsonValueKind.True => true,
        var n when n.GetValueKind() == JsonValueKind.False => false,
        var n => throw Wrong(key, "true or false", n),
    };

    /// <summary>A whole number in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public int? Int(string key, int minimum, int maximum) => _root[key] switch
    {
        null => null,
        var n when Number(n) is double d && d == Math.Floor(d) && d >= minimum && d <= maximum => (int)d,
        var n => throw Wrong(key, $"a whole number from {minimum} to {maximum}", n),
    };

    /// <summary>A finite number for which <paramref name="isValid"/> holds (described by <paramref name="expected"/> in errors).</summary>
    public double? Double(string key, string expected, Func<double, bool> isValid) => _root[key] switch
    {
        null => null,
        var n when Number(n) is double d && double.IsFinite(d) && isValid(d) => d,
        var n => throw Wrong(key, expected, n),
    };

    private HybridDiffusionException Wrong(string key, string expected, JsonNode node) => new(HybridErrorKind.InvalidModel,
        $"'{File}': \"{key}\" must be {expected}; it is {BoundedJson.Describe(node)}. Fix or remove the key (absent keys take diffusers' defaults).", File);

    private static double? Number(JsonNode node) => node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<double>(out var d) ? d : null;
}
