namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The results folders of one study, opened for reading: every folder's manifest must carry the same hash. Reads a
/// group's records across the folders in seed order, naming units found in none and units found in several.
/// </summary>
internal sealed class StudyResults
{
    private readonly IReadOnlyList<UnitRecordStore> _stores;

    private StudyResults(StudyDefinition study, string hash, IReadOnlyList<UnitRecordStore> stores)
    {
        Study = study;
        Hash = hash;
        _stores = stores;
    }

    public StudyDefinition Study { get; }

    public string Hash { get; }

    public static StudyResults Open(IReadOnlyList<string> folders)
    {
        StudyManifest? first = null;
        string? firstFolder = null;
        var stores = new List<UnitRecordStore>();
        // "results" and "results/" are one folder, read once.
        foreach (var folder in folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(folder))
            {
                throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"Results folder '{folder}' does not exist.", folder);
            }
            var manifest = StudyManifest.TryRead(folder) ?? throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                $"'{folder}' holds no {StudyLayout.ManifestName}: it is not a study's results folder (name the folder given to the study's run).", folder);
            if (first is null)
            {
                (first, firstFolder) = (manifest, folder);
            }
            else if (manifest.Hash != first.Hash)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                    $"'{folder}' holds study {manifest.Hash[..12]} but '{firstFolder}' holds study {first.Hash[..12]}: merge the folders of one study only.", folder);
            }
            stores.Add(new UnitRecordStore(folder, manifest.Study, manifest.Hash));
        }
        return new StudyResults(first!.Study, first.Hash, stores);
    }

    /// <summary>The group's records in seed order (one per unit found), and the units missing or found in several folders.</summary>
    public (List<UnitRecord> Records, List<long> Missing, List<long> Duplicated) ReadGroup(int promptIndex, int settingIndex, Action<string> warning,
        CancellationToken cancellation)
    {
        var records = new List<UnitRecord>();
        var missing = new List<long>();
        var duplicated = new List<long>();
        for (int offset = 0; offset < Study.SeedCount; offset++)
        {
            cancellation.ThrowIfCancellationRequested();
            // Counted from the start, so a range that ends at the largest seed does not wrap round.
            long seed = Study.SeedStart + offset;
            var copies = _stores
                .Select(store => store.Read(promptIndex, settingIndex, seed, checkImage: false, warning) is { } record
                    ? record with { Image = Path.Combine(store.Folder, record.Image) }
                    : null)
                .OfType<UnitRecord>()
                .ToList();
            if (copies.Count > 1)
            {
                duplicated.Add(seed);
                if (copies.Select(c => c.ImageSha256).Distinct().Count() > 1)
                {
                    warning($"Unit seed {seed} of '{Study.Settings[settingIndex].Name}' on \"{Study.Prompts[promptIndex]}\" was recorded with different images in several folders; the merge uses the same one whatever the folders' order.");
                }
            }
            // Whichever folder is named first, the same copy is used: of several, one whose image is sound (the images of
            // duplicated units only are read here), so a copy damaged in one folder does not stop the merge.
            var sound = copies.Count > 1 ? copies.Where(c => ContentHash.FileMatches(c.Image, c.ImageSha256)).ToList() : copies;
            var found = (sound.Count > 0 ? sound : copies).MinBy(c => c.ImageSha256, StringComparer.Ordinal);
            if (found is null)
            {
                missing.Add(seed);
            }
            else
            {
                records.Add(found);
            }
        }
        return (records, missing, duplicated);
    }
}
