using System.Collections;
using System.Globalization;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// -Study of the study cmdlets: a study file (JSON, or a .psd1 data file with the same keys) or a hashtable with the
/// same keys, read through the one schema both faces use (<see cref="StudyFile"/>). A hashtable's relative paths start
/// at the current location.
/// </summary>
internal static class StudyArgument
{
    public static StudyDefinition Read(PSCmdlet cmdlet, object study) => (study is PSObject wrapped ? wrapped.BaseObject : study) switch
    {
        string path when path.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase) => FromDataFile(cmdlet, cmdlet.GetUnresolvedProviderPathFromPSPath(path)),
        string path => StudyFile.Read(cmdlet.GetUnresolvedProviderPathFromPSPath(path)),
        FileInfo file => StudyFile.Read(file.FullName),
        IDictionary table => Parse(table, "the study hashtable", cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath),
        var other => throw HybridDiffusionException.Argument(SettingId.Study,
            $"A study is a file path (JSON or .psd1) or a hashtable with the study's keys; got a {other.GetType().Name}."),
    };

    private static StudyDefinition FromDataFile(PSCmdlet cmdlet, string path)
    {
        if (!File.Exists(path))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"Study file '{path}' does not exist.", path);
        }
        if (new FileInfo(path).Length > StudyFile.MaxBytes)
        {
            throw HybridDiffusionException.Argument(SettingId.Study, $"Study file '{path}' is larger than {StudyFile.MaxBytes >> 20} MB.");
        }
        var data = cmdlet.InvokeCommand.InvokeScript("param($path) Import-PowerShellDataFile -LiteralPath $path", true, PipelineResultTypes.None, null, path);
        return Parse((IDictionary)data.Single().BaseObject, path, Path.GetDirectoryName(path)!);
    }

    private static StudyDefinition Parse(IDictionary table, string source, string baseFolder)
    {
        using var document = JsonDocument.Parse(ToJson(table, 0)!.ToJsonString());
        return StudyFile.Parse(document.RootElement, source, baseFolder);
    }

    // Hashtables, arrays and scalars as the JSON they stand for; the depth is bounded like a study file's.
    private static JsonNode? ToJson(object? value, int depth)
    {
        if (depth > 16)
        {
            throw HybridDiffusionException.Argument(SettingId.Study, "The study hashtable nests deeper than a study can (16 levels).");
        }
        return Unwrapped(value) switch
        {
            null => null,
            string text => JsonValue.Create(text),
            bool flag => JsonValue.Create(flag),
            IDictionary table => new JsonObject(table.Keys.Cast<object>().Select(k => KeyValuePair.Create(k.ToString()!, ToJson(table[k], depth + 1)))),
            IEnumerable items => new JsonArray(items.Cast<object?>().Select(i => ToJson(i, depth + 1)).ToArray()),
            int or long or short or byte => JsonValue.Create(Convert.ToInt64(Unwrapped(value), CultureInfo.InvariantCulture)),
            double or float or decimal => JsonValue.Create(Convert.ToDouble(Unwrapped(value), CultureInfo.InvariantCulture)),
            var other => JsonValue.Create(other.ToString()),
        };
    }

    private static object? Unwrapped(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
