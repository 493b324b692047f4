namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// One JSON object of a study file, read key by key with its JSON path (`$.settings[2].baseSteps`): a wrong type is
/// refused naming the path, and <see cref="RefuseUnknownKeys"/> names every key no reader asked for.
/// </summary>
internal sealed class StudyJsonObject
{
    private readonly JsonElement _element;
    private readonly string _source;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public StudyJsonObject(JsonElement element, string path, string source)
    {
        _source = source;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"must be an object ({{ ... }}); got {Describe(element)}");
        }
        _element = element;
        // JSON lets a key stand twice and the reader would keep the last: a study that says two things is refused instead.
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = Text(() => property.Name, path);
            if (!names.Add(name))
            {
                throw Error(ChildPath(name), "appears twice in this object; give each key once");
            }
        }
    }

    public string Path { get; }

    /// <summary>The value of <paramref name="key"/>, or null when the object lacks it (or holds null there).</summary>
    public JsonElement? Value(string key)
    {
        _known.Add(key);
        return _element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public string ChildPath(string key) => $"{Path}.{key}";

    public bool Has(string key) => Value(key) is not null;

    public string? String(string key) => Value(key) is { } v ? StringOf(v, ChildPath(key)) : null;

    public string RequiredString(string key) => String(key) ?? throw Error(ChildPath(key), "is required");

    public int? Int(string key) => Value(key) is { } v ? IntOf(v, ChildPath(key)) : null;

    public double? Number(string key) => Value(key) is { } v ? NumberOf(v, ChildPath(key)) : null;

    public bool? Bool(string key) => Value(key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } v => throw Error(ChildPath(key), $"must be true or false; got {Describe(v)}"),
    };

    public StudyJsonObject? Object(string key) => Value(key) is { } v ? new StudyJsonObject(v, ChildPath(key), _source) : null;

    /// <summary>An element of one of this object's arrays, read as an object of the same study.</summary>
    public StudyJsonObject ObjectAt(JsonElement element, string path) => new(element, path, _source);

    /// <summary>The elements of an array with their paths.</summary>
    public IReadOnlyList<(JsonElement Element, string Path)>? Array(string key)
    {
        if (Value(key) is not { } v)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw Error(ChildPath(key), $"must be an array ([ ... ]); got {Describe(v)}");
        }
        return v.EnumerateArray().Select((e, i) => (e, $"{ChildPath(key)}[{i}]")).ToList();
    }

    /// <summary>A number or an array of numbers (a sweep); null when absent.</summary>
    public IReadOnlyList<double>? NumberOrSweep(string key, bool integral)
    {
        if (Value(key) is not { } v)
        {
            return null;
        }
        double Read(JsonElement e, string path) => integral ? IntOf(e, path) : NumberOf(e, path);
        if (v.ValueKind != JsonValueKind.Array)
        {
            return new[] { Read(v, ChildPath(key)) };
        }
        var values = Array(key)!.Select(x => Read(x.Element, x.Path)).ToList();
        if (values.Count == 0)
        {
            throw Error(ChildPath(key), "is an empty sweep; give at least one value");
        }
        if (values.Distinct().Count() != values.Count)
        {
            throw Error(ChildPath(key), "repeats a value; each value of a sweep makes one setting");
        }
        return values;
    }

    /// <summary>Refuses keys that nothing read: a misspelt key would otherwise be silently ignored.</summary>
    public void RefuseUnknownKeys()
    {
        var unknown = _element.EnumerateObject().Select(p => p.Name).Where(n => !_known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw Error($"{Path}.{unknown[0]}", $"is not a key of this object; the keys are: {string.Join(", ", _known.Order(StringComparer.Ordinal))}");
        }
    }

    public string StringOf(JsonElement value, string path) => value.ValueKind == JsonValueKind.String
        ? Text(() => value.GetString()!, path)
        : throw Error(path, $"must be a string; got {Describe(value)}");

    public int IntOf(JsonElement value, string path) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
        ? number
        : throw Error(path, $"must be a whole number; got {Describe(value)}");

    public double NumberOf(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number)
            ? number
            : throw Error(path, $"must be a number; got {Describe(value)}");

    public HybridDiffusionException Error(string path, string message) => StudyErrors.Invalid(_source, path, message);

    // A JSON escape of half a UTF-16 pair ("\ud800") parses, but no string holds it: the reader throws when asked for it.
    private string Text(Func<string> read, string path)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            throw Error(path, "is not valid Unicode text (it holds half of a UTF-16 surrogate pair)");
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {Shorten(value.GetRawText())}",
        JsonValueKind.Number => "the number " + value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    // The raw text, quotes included: a string's value may be half a surrogate pair, which has no .NET string.
    private static string Shorten(string text) => text.Length > 40 ? text[..36] + "...\"" : text;
}
