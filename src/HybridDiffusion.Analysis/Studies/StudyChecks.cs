namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// What a study's values must be, wherever the study comes from: a study file (after its keys and types are read) and a
/// results folder's study.json (read back by status, run and merge, which must not trust it further than a study file).
/// A problem is reported by the study file's JSON path, through the caller's <c>error</c>, which says where the study
/// came from.
/// </summary>
internal static class StudyChecks
{
    /// <summary>
    /// Seeds per prompt × setting: a merge compares every pair of a group's images and holds the group's records, so a
    /// group far beyond the paper's 100 seeds is a mistake, not a study (a larger one splits by seeds.start).
    /// </summary>
    public const int MaxSeeds = 100_000;

    public static void Check(StudyDefinition study, Func<string, string, Exception> error)
    {
        CheckPrompts(study.Prompts, error);
        CheckSeeds(study.SeedStart, study.SeedCount, error);
        if (study.BatchSize is < 1 or > GenerationRequest.MaxBatchSize)
        {
            throw error("$.batchSize", $"must be 1 to {GenerationRequest.MaxBatchSize} (images per UNet run); got {study.BatchSize}");
        }
        if (study.ThreadCount is < 0 or > GenerationRequest.MaxThreadCount)
        {
            throw error("$.threadCount", $"must be 0 (one per core) to {GenerationRequest.MaxThreadCount}; got {study.ThreadCount}");
        }
        CheckSettings(study.Settings, error);
        if (!study.Settings.Any(s => s.Name == study.Reference))
        {
            throw error("$.reference", $"names no setting: '{study.Reference}' is not one of {string.Join(", ", study.Settings.Select(s => $"'{s.Name}'"))}" +
                (study.Settings.Any(s => s.Family == study.Reference) ? " (a swept setting's reference names one of its expanded values)" : ""));
        }
        CheckMeasure(study.Measure ?? throw error("$.measure", "must be an object ({ ... }); got null"), error);
    }

    /// <summary>Why one expanded setting cannot run (its generation settings, or a setting its mode does not use), or null.</summary>
    public static string? SettingProblem(StudySetting setting)
    {
        try
        {
            setting.Settings.Validate();
            GenerationRequest.CheckModeSettings(new[] { setting.Mode }, setting.Settings);
            return null;
        }
        catch (HybridDiffusionException ex) when (ex.Kind == HybridErrorKind.InvalidArgument)
        {
            return ex.Message.TrimEnd('.');
        }
    }

    private static void CheckPrompts(IReadOnlyList<string>? prompts, Func<string, string, Exception> error)
    {
        if (prompts is null || prompts.Count == 0)
        {
            throw error("$.prompts", "holds no prompt; a study needs at least one");
        }
        for (int i = 0; i < prompts.Count; i++)
        {
            if (prompts[i] is null)
            {
                throw error($"$.prompts[{i}]", "must be a string; got null");
            }
        }
        var repeated = prompts.GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw error("$.prompts", $"repeats the prompt \"{repeated.Key}\"; each prompt is one row of the results, so list it once");
        }
    }

    private static void CheckSeeds(long start, int count, Func<string, string, Exception> error)
    {
        if (start < 0)
        {
            throw error("$.seeds.start", "must be a whole number ≥ 0");
        }
        if (count is < 2 or > MaxSeeds)
        {
            throw error("$.seeds.count", count < 2
                ? $"must be at least 2: diversity compares pairs of images; got {count}"
                : $"must be at most {MaxSeeds:N0}: a merge compares every pair of a group's images; got {count:N0}. Split a larger study by seeds.start");
        }
        if (start > long.MaxValue - (count - 1))
        {
            throw error("$.seeds", $"runs past the largest seed, {long.MaxValue:N0}: start + count − 1 must not exceed it");
        }
    }

    private static void CheckSettings(IReadOnlyList<StudySetting>? settings, Func<string, string, Exception> error)
    {
        if (settings is null || settings.Count == 0)
        {
            throw error("$.settings", "is empty; name at least one setting");
        }
        for (int i = 0; i < settings.Count; i++)
        {
            if (settings[i] is not { Name: not null, Family: not null, Settings: not null, Swept: not null, Sliders: not null })
            {
                throw error($"$.settings[{i}]", "is incomplete: it needs a name, a mode and its generation settings");
            }
        }
        var duplicate = settings.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw error("$.settings", $"names '{duplicate.Key}' twice; each setting (after its sweep is expanded) needs its own name");
        }
        foreach (var setting in settings)
        {
            if (string.IsNullOrWhiteSpace(setting.Name))
            {
                throw error("$.settings", "holds a setting without a name; name the setting");
            }
            if (SettingProblem(setting) is string problem)
            {
                throw error("$.settings", $"(setting '{setting.Name}'): {problem}");
            }
        }
    }

    private static void CheckMeasure(StudyMeasure measure, Func<string, string, Exception> error)
    {
        if (measure.Metrics is null || measure.Metrics.Count == 0)
        {
            throw error("$.measure.metrics", $"is empty; name at least one of {DiversityMetrics.Alternatives}");
        }
        if (measure.Embedding is { ModelPath: null })
        {
            throw error("$.measure.embedding.model", "is required");
        }
        if (measure.Metrics.Contains(DiversityMetric.Embedding) && measure.Embedding is null)
        {
            throw error("$.measure.embedding", "is required with the embedding metric: { \"model\": \"dreamsim.onnx\" }");
        }
        foreach (var (key, maximum) in new[] { ("maximumFid", measure.MaximumFid), ("maximumKid", measure.MaximumKid) })
        {
            if (maximum is double value && !(value > 0))
            {
                throw error($"$.measure.{key}", $"must be above 0; got {StudyFile.Format(value)}");
            }
            if (maximum is not null && measure.Reference is null)
            {
                throw error($"$.measure.{key}", "gates FID and KID against a reference set: name it with \"reference\"");
            }
        }
        if (measure.Reference is not null && measure.Embedding is null)
        {
            throw error("$.measure.reference",
                "needs the embedding model the groups and the reference are embedded with: \"embedding\": { \"model\": \"inception.onnx\" }");
        }
        try
        {
            new DiversityRequest
            {
                Metrics = measure.Metrics, Size = measure.Size, Embedding = measure.Embedding, BootstrapResamples = measure.BootstrapResamples,
            }.Validate();
        }
        catch (HybridDiffusionException ex) when (ex.Kind == HybridErrorKind.InvalidArgument)
        {
            throw error("$.measure", ex.Message.TrimEnd('.'));
        }
        if (!(measure.Threshold > 0))
        {
            throw error("$.measure.threshold", $"must be above 0; got {StudyFile.Format(measure.Threshold)}");
        }
        CheckAdherence(measure.Adherence, error);
    }

    /// <summary>The adherence verb's request, checked by its own rules; a refusal names the key of the setting it blames.</summary>
    public static void CheckAdherence(AdherenceRequest? adherence, Func<string, string, Exception> error)
    {
        try
        {
            adherence?.Validate();
        }
        catch (HybridDiffusionException ex) when (ex.Kind == HybridErrorKind.InvalidArgument)
        {
            var key = ex.Setting switch
            {
                SettingId.ClipImageModel => ".clipImageModel",
                SettingId.ClipTextModel => ".clipTextModel",
                SettingId.MinimumAdherence => ".minimumAdherence",
                _ => "",
            };
            throw error("$.measure.adherence" + key, $"is refused: {ex.Message.TrimEnd('.')}");
        }
    }
}
