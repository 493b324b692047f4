namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// Writes and reads the units of one results folder. A unit is written image first, then record, each whole (temporary
/// name, then a move), so a record exists only beside its complete image; a unit is done when its record reads back,
/// belongs to this study and unit, and its image has the recorded hash.
/// </summary>
internal sealed class UnitRecordStore(string folder, StudyDefinition study, string studyHash)
{
    /// <summary>A record is a few kilobytes (a 768-float vector, a curve); a larger file is damage, not a record.</summary>
    private const long MaxRecordBytes = 4 << 20;

    private readonly JsonSerializerOptions _json = StudyJson.Compact();

    public string Folder { get; } = Path.GetFullPath(folder);

    public void Write(UnitRecord record, byte[] png)
    {
        var group = Path.Combine(Folder, GroupOf(record));
        // Neither is flushed to disk: a record counts only when it parses and its image has the recorded hash, so what a
        // power cut leaves half on disk reads as damage and is made again, and one flush per unit is study time saved.
        AtomicFile.WriteAllBytes(Path.Combine(group, StudyLayout.ImageName(record.Seed)), png, flushToDisk: false);
        AtomicFile.WriteAllBytes(Path.Combine(group, StudyLayout.RecordName(record.Seed)), JsonSerializer.SerializeToUtf8Bytes(record, _json), flushToDisk: false);
    }

    public string ImagePath(int promptIndex, int settingIndex, long seed) =>
        Path.Combine(Folder, StudyLayout.GroupFolder(study, promptIndex, settingIndex), StudyLayout.ImageName(seed));

    public string RelativeImagePath(int promptIndex, int settingIndex, long seed) =>
        Path.Combine(StudyLayout.GroupFolder(study, promptIndex, settingIndex), StudyLayout.ImageName(seed)).Replace('\\', '/');

    /// <summary>Whether the unit has a record that is not empty (cheap, one file lookup: status counts by it).</summary>
    public bool Exists(int promptIndex, int settingIndex, long seed) =>
        new FileInfo(Path.Combine(Folder, StudyLayout.GroupFolder(study, promptIndex, settingIndex), StudyLayout.RecordName(seed))) is { Exists: true, Length: > 0 };

    /// <summary>The unit's record when it is complete and sound; null when absent; a damaged one is reported through <paramref name="damaged"/>.</summary>
    public UnitRecord? Read(int promptIndex, int settingIndex, long seed, bool checkImage, Action<string>? damaged)
    {
        var path = Path.Combine(Folder, StudyLayout.GroupFolder(study, promptIndex, settingIndex), StudyLayout.RecordName(seed));
        if (!File.Exists(path))
        {
            return null;
        }
        string? problem;
        UnitRecord? record = null;
        try
        {
            record = new FileInfo(path).Length > MaxRecordBytes ? null : JsonSerializer.Deserialize<UnitRecord>(File.ReadAllBytes(path), _json);
            problem = record is null ? "it is empty or too large"
                : record.Study != studyHash ? "it belongs to another study"
                : record.PromptIndex != promptIndex || record.Setting != study.Settings[settingIndex].Name || record.Seed != seed
                    || record.Prompt != study.Prompts[promptIndex] || record.Image != RelativeImagePath(promptIndex, settingIndex, seed) ? "it describes another unit"
                : MissingFeature(record) is string feature ? $"its {feature} is missing or not finite numbers"
                : checkImage && !ImageMatches(record) ? "its image is missing or differs from the recorded hash"
                : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            problem = "it cannot be read: " + ex.Message;
        }
        if (problem is null)
        {
            return record;
        }
        damaged?.Invoke($"The record '{path}' is damaged ({problem}); it counts as missing, and the study's next run makes the unit again.");
        return null;
    }

    // What the study measures from a record must be there, as numbers a merge can use: a record edited or written by
    // another build would otherwise pass the run's check and stop every later merge.
    private string? MissingFeature(UnitRecord record) =>
        record.Timings is null ? "timings"
        : study.Measure.Metrics.Contains(DiversityMetric.Embedding) && !IsVector(record.Embedding) ? "embedding"
        : study.Measure.Reference is not null && !IsVector(record.Features) ? "feature vector"
        : study.Measure.Trajectories && (record.Trajectory is null || !record.Trajectory.All(p => p is { Length: 2 } && double.IsFinite(p[0]) && double.IsFinite(p[1])))
            ? "x̂0 trajectory (pairs of fraction done and distance)"
        : null;

    private static bool IsVector(float[]? values) => values is { Length: > 0 } && Array.TrueForAll(values, float.IsFinite);

    private bool ImageMatches(UnitRecord record) => ContentHash.FileMatches(Path.Combine(Folder, record.Image), record.ImageSha256);

    private string GroupOf(UnitRecord record) => Path.GetDirectoryName(record.Image)!;
}
