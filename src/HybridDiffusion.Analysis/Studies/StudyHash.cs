namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The study's content hash: SHA-256 over everything that changes its records or its verdicts (the models' content,
/// prompts, seeds, settings with their slider files' content, provider, batch size, thread count, metrics, the
/// embedding model's content, and when given the FID reference and the adherence measure with its CLIP models' content),
/// not over where the models lie or what the study is called.
/// </summary>
internal static class StudyHash
{
    /// <param name="study">With its model folders resolved (the default pair's too).</param>
    public static string Compute(StudyDefinition study)
    {
        var embedding = study.Measure.Embedding;
        var canonical = study with
        {
            Name = "",
            BaseModel = study.BaseModel is null ? null : ContentHash.OfFolder(study.BaseModel),
            DistilledModel = study.DistilledModel is null ? null : ContentHash.OfFolder(study.DistilledModel),
            Measure = study.Measure with
            {
                Embedding = embedding is null ? null : embedding with { ModelPath = ContentHash.OfFile(embedding.ModelPath) },
                Reference = ReferenceKey(study.Measure.Reference),
                Adherence = AdherenceKey(study.Measure.Adherence),
            },
            Settings = study.Settings.Select(s => s with { Sliders = s.Sliders.Select(r => r with { Path = ContentHash.OfFile(r.Path) }).ToList() }).ToList(),
        };
        return ContentHash.OfBytes(JsonSerializer.SerializeToUtf8Bytes(canonical, StudyJson.Compact()));
    }

    // Null (left out of the JSON, so studies without adherence keep their hash); else with the CLIP models by their content.
    private static AdherenceRequest? AdherenceKey(AdherenceRequest? adherence) => adherence is null ? null : adherence with
    {
        ClipImage = adherence.ClipImage is { } image ? image with { ModelPath = ContentHash.OfFile(image.ModelPath) } : null,
        ClipTextModel = adherence.ClipTextModel is string text ? ContentHash.OfFile(text) : null,
    };

    // Null (left out of the JSON, so studies without a reference keep their hash); a file (.fidstats, a list) by its
    // content; a folder or wildcard by its name, as a reference of many thousand images is not read on every run.
    private static string? ReferenceKey(string? reference) => reference is null ? null
        : File.Exists(reference) ? ContentHash.OfFile(reference)
        : Path.GetFileName(Path.TrimEndingDirectorySeparator(reference));
}
