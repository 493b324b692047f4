namespace HybridDiffusion.Analysis.Studies;

/// <summary>summary.json: written whole, read back as a baseline (bounded: a summary is rows of numbers).</summary>
public static class StudySummaryFile
{
    public const string Name = "summary.json";

    private const long MaxBytes = 256L << 20;

    public static byte[] Bytes(StudySummary summary) => JsonSerializer.SerializeToUtf8Bytes(summary, StudyJson.Options());

    public static void Write(string path, StudySummary summary) => AtomicFile.WriteAllBytes(path, Bytes(summary));

    public static StudySummary Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"Baseline summary '{path}' does not exist.", path);
        }
        if (new FileInfo(path).Length > MaxBytes)
        {
            throw HybridDiffusionException.Argument(SettingId.Baseline, $"Baseline '{path}' is larger than {MaxBytes >> 20} MB; it is not a study summary.");
        }
        try
        {
            var summary = JsonSerializer.Deserialize<StudySummary>(File.ReadAllBytes(path), StudyJson.Options());
            return summary is { FormatVersion: StudySummary.CurrentFormat, Rows: not null } && summary.Rows.All(row => row is { Prompt: not null, Setting: not null })
                ? summary
                : throw new JsonException($"format {summary?.FormatVersion}, expected {StudySummary.CurrentFormat}, with rows that name their prompt and setting");
        }
        catch (JsonException ex)
        {
            throw HybridDiffusionException.Argument(SettingId.Baseline, $"Baseline '{path}' is not a study summary.json this version reads ({ex.Message}).");
        }
    }
}
