namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// A results folder's `study.json`: the study (with its models resolved) and its hash. Written by the first shard to
/// start (each shard writes the same bytes, whole); read by status and merge, which therefore need no study file.
/// </summary>
internal sealed record StudyManifest(int FormatVersion, string Hash, StudyDefinition Study)
{
    public const int CurrentFormat = 1;

    public static StudyManifest? TryRead(string folder)
    {
        var path = StudyLayout.Manifest(folder);
        if (!File.Exists(path))
        {
            return null;
        }
        if (new FileInfo(path).Length > StudyFile.MaxBytes * 4L)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument, $"'{path}' is too large to be a study manifest.", path);
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<StudyManifest>(File.ReadAllBytes(path), StudyJson.Options());
            return manifest is { FormatVersion: CurrentFormat, Hash.Length: 64 }
                ? manifest
                : throw new JsonException($"format {manifest?.FormatVersion}, expected {CurrentFormat}");
        }
        catch (JsonException ex)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                $"'{path}' is not a study manifest this version reads ({ex.Message}); was the folder written by another tool?", path);
        }
    }

    /// <summary>Writes the manifest unless the folder already holds this study; refuses a folder of another study.</summary>
    public void WriteOrCheck(string folder)
    {
        if (TryRead(folder) is { } existing)
        {
            if (existing.Hash != Hash)
            {
                throw StudyErrors.OtherStudy(folder, existing.Hash, Hash);
            }
            return;
        }
        AtomicFile.WriteAllBytes(StudyLayout.Manifest(folder), JsonSerializer.SerializeToUtf8Bytes(this, StudyJson.Options()));
    }
}
