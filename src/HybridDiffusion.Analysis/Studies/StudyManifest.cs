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
        StudyManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<StudyManifest>(File.ReadAllBytes(path), StudyJson.Options());
        }
        catch (JsonException ex)
        {
            throw NotAManifest(path, ex.Message);
        }
        if (manifest is not { FormatVersion: CurrentFormat, Hash.Length: 64, Study: not null })
        {
            throw NotAManifest(path, $"format {manifest?.FormatVersion}, expected {CurrentFormat}, with a study and its hash");
        }
        // Status, run and merge take the study from here, so it must hold what a study file may: a damaged or edited
        // one would otherwise be merged as it says (a seed count of -5, a billion missing units, no settings).
        StudyChecks.Check(manifest.Study, (key, problem) => new HybridDiffusionException(HybridErrorKind.InvalidArgument,
            $"'{path}' is damaged: its study's {key} {problem}. The file is written by the study's run; do not edit it.", path));
        return manifest;
    }

    private static HybridDiffusionException NotAManifest(string path, string why) => new(HybridErrorKind.InvalidArgument,
        $"'{path}' is not a study manifest this version reads ({why}); was the folder written by another tool?", path);

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
