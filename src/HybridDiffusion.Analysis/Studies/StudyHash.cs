using System.Text.Json;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Studies;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The study's content hash: SHA-256 over everything that changes its records (the models' content, prompts, seeds,
/// settings, provider, batch size, thread count, metrics and the embedding model's content), not over where the
/// models lie or what the study is called.
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
        };
        return ContentHash.OfBytes(JsonSerializer.SerializeToUtf8Bytes(canonical, StudyJson.Compact()));
    }
}
