using System.Text.Json;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Studies;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The study's content hash: SHA-256 over everything that changes its records (the models' content, prompts, seeds,
/// settings with their slider files' content, provider, batch size, thread count, metrics and the embedding model's
/// content), not over where the models lie or what the study is called.
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
            Measure = study.Measure with { Embedding = embedding is null ? null : embedding with { ModelPath = ContentHash.OfFile(embedding.ModelPath) } },
            Settings = study.Settings.Select(s => s with { Sliders = s.Sliders.Select(r => r with { Path = ContentHash.OfFile(r.Path) }).ToList() }).ToList(),
        };
        return ContentHash.OfBytes(JsonSerializer.SerializeToUtf8Bytes(canonical, StudyJson.Compact()));
    }
}
