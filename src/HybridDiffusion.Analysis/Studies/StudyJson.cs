using System.Text.Encodings.Web;
using System.Text.Json.Serialization;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The one set of JSON options of the study files (manifest, records, summaries): camelCase, enums as names, bounded
/// depth. Made per use (options are mutable, so none is kept in a static); a reader of many records keeps its own.
/// </summary>
internal static class StudyJson
{
    public static JsonSerializerOptions Options() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        MaxDepth = 16,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Records are read by the hundred thousand: without indentation.</summary>
    public static JsonSerializerOptions Compact() => new(Options()) { WriteIndented = false };
}
