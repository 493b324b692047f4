using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Sliders;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// Reads a study (the one schema both faces use: a JSON file, or in PowerShell a hashtable turned into the same JSON):
/// every key checked, unknown keys and wrong types refused by their JSON path, sweeps expanded as a cross product.
/// Relative paths in it (models, prompts file, embedding model, FID reference, CLIP models) are taken from the study file's folder.
/// </summary>
public static class StudyFile
{
    /// <summary>A study file is a few kilobytes; this bounds what a damaged or hostile one can make us read.</summary>
    public const int MaxBytes = 4 << 20;

    private const int MaxDepth = 16;

    /// <summary>The keys a setting may sweep (an array of values instead of one) and whether they take whole numbers.</summary>
    private static readonly (string Key, bool Integral)[] Sweepable = { ("steps", true), ("baseSteps", true), ("guidance", false), ("baseGuidance", false) };

    public static StudyDefinition Read(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"Study file '{path}' does not exist.", path);
        }
        if (new FileInfo(full).Length > MaxBytes)
        {
            throw HybridDiffusionException.Argument(SettingId.Study,
                $"Study file '{path}' is larger than {MaxBytes >> 20} MB; a study names its prompts file instead of holding many thousands of prompts.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(full), new JsonDocumentOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw HybridDiffusionException.Argument(SettingId.Study, $"Study file '{path}' is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            return Parse(document.RootElement, path, System.IO.Path.GetDirectoryName(full)!);
        }
    }

    /// <param name="source">How errors name the study (its file, or "the study hashtable").</param>
    /// <param name="baseFolder">Where relative paths in the study start.</param>
    public static StudyDefinition Parse(JsonElement root, string source, string baseFolder)
    {
        var study = new StudyJsonObject(root, "$", source);
        var name = study.String("name") ?? "study";
        var models = study.Object("models");
        string? baseModel = null, distilledModel = null;
        if (models is not null)
        {
            baseModel = models.String("base") is string b ? FullPath(baseFolder, b) : null;
            distilledModel = models.String("distilled") is string d ? FullPath(baseFolder, d) : null;
            models.RefuseUnknownKeys();
        }
        var prompts = ReadPrompts(study, baseFolder);
        var (seedStart, seedCount) = ReadSeeds(study);
        int batchSize = study.Int("batchSize") ?? 4;
        int threadCount = study.Int("threadCount") ?? 1;
        var provider = study.String("provider") is string p ? ParseEnum<ExecutionProvider>(study, "$.provider", p) : ExecutionProvider.Auto;
        var settings = ReadSettings(study, baseFolder);
        var reference = study.RequiredString("reference");
        var measure = ReadMeasure(study, baseFolder);
        study.RefuseUnknownKeys();
        var definition = new StudyDefinition
        {
            Name = name,
            BaseModel = baseModel,
            DistilledModel = distilledModel,
            Prompts = prompts,
            SeedStart = seedStart,
            SeedCount = seedCount,
            BatchSize = batchSize,
            ThreadCount = threadCount,
            Provider = provider,
            Settings = settings,
            Reference = reference,
            Measure = measure,
        };
        StudyChecks.Check(definition, study.Error);
        return definition;
    }

    private static IReadOnlyList<string> ReadPrompts(StudyJsonObject study, string baseFolder)
    {
        IReadOnlyList<string> prompts;
        if (study.Value("prompts") is { ValueKind: JsonValueKind.Array })
        {
            prompts = study.Array("prompts")!.Select(x => study.StringOf(x.Element, x.Path)).ToList();
        }
        else if (study.Object("prompts") is { } file)
        {
            var path = FullPath(baseFolder, file.RequiredString("file"));
            var key = file.String("key");
            int? take = file.Int("take");
            if (take is < 1)
            {
                throw file.Error(file.ChildPath("take"), $"must be at least 1; got {take}");
            }
            file.RefuseUnknownKeys();
            prompts = StudyPromptsFile.Read(path, key, take ?? int.MaxValue);
        }
        else
        {
            throw study.Error("$.prompts", "is required: a list of prompts, or { \"file\": \"prompts.txt\" } (one prompt a line; a JSON captions file with \"key\": \"caption\")");
        }
        return prompts;
    }

    private static (long Start, int Count) ReadSeeds(StudyJsonObject study)
    {
        var seeds = study.Object("seeds") ?? throw study.Error("$.seeds", "is required: { \"start\": 0, \"count\": 16 } (seeds per prompt and setting)");
        long start = seeds.Value("start") is { } s
            ? s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out long value) ? value : throw seeds.Error("$.seeds.start", "must be a whole number ≥ 0")
            : 0;
        int count = seeds.Int("count") ?? throw seeds.Error("$.seeds.count", "is required (seeds per prompt and setting)");
        seeds.RefuseUnknownKeys();
        return (start, count);
    }

    private static IReadOnlyList<StudySetting> ReadSettings(StudyJsonObject study, string baseFolder)
    {
        var entries = study.Array("settings") ?? throw study.Error("$.settings", "is required: a list of named settings such as { \"name\": \"hybrid\", \"mode\": \"hybrid\" }");
        var expanded = new List<StudySetting>();
        foreach (var (element, path) in entries)
        {
            expanded.AddRange(Expand(study.ObjectAt(element, path), baseFolder));
        }
        return expanded;
    }

    private static IEnumerable<StudySetting> Expand(StudyJsonObject entry, string baseFolder)
    {
        var family = entry.RequiredString("name");
        if (string.IsNullOrWhiteSpace(family))
        {
            throw entry.Error(entry.ChildPath("name"), "is empty; name the setting");
        }
        var mode = entry.String("mode") is string m ? ParseEnum<GenerationMode>(entry, entry.ChildPath("mode"), m) : GenerationMode.Hybrid;
        var fixedSettings = new GenerationSettings
        {
            Plan = entry.String("plan"),
            Scheduler = entry.String("scheduler"),
            Preset = entry.String("preset") is string preset ? ParseEnum<DistilledPreset>(entry, entry.ChildPath("preset"), preset) : null,
            Width = entry.Int("width") ?? new GenerationSettings().Width,
            Height = entry.Int("height") ?? new GenerationSettings().Height,
            NegativePrompt = entry.String("negativePrompt"),
            Annealing = ReadMethod(entry, "cads", o => ConditionAnnealing.FromOptions(true, o.Number("tau1"), o.Number("tau2"), o.Number("scale"), o.Number("psi"))!),
            ConditioningNoise = ReadMethod(entry, "conditionNoise", o => new ConditioningNoise
            {
                Strength = o.Number("strength") ?? throw o.Error(o.ChildPath("strength"), "is required (the noise's strength, ≥ 0)"),
                Fraction = o.Number("fraction") ?? ConditioningNoise.DefaultFraction,
            }),
            GuidanceInterval = ReadMethod(entry, "guidanceInterval", o => new GuidanceInterval(
                o.Number("low") ?? throw o.Error(o.ChildPath("low"), "is required (the lowest σ that is guided)"),
                o.Number("high") ?? throw o.Error(o.ChildPath("high"), "is required (the highest σ that is guided)"))),
        };
        // "baseSteps": "auto" chooses k per prompt (what --base-steps auto does); a number or a sweep of numbers fixes it.
        bool autoBaseSteps = entry.Value("baseSteps") is { ValueKind: JsonValueKind.String };
        if (autoBaseSteps)
        {
            fixedSettings = ReadBaseStepsWord(entry, fixedSettings);
        }
        var sweeps = Sweepable.Where(s => !(autoBaseSteps && s.Key == "baseSteps"))
            .Select(s => (s.Key, Values: entry.NumberOrSweep(s.Key, s.Integral))).Where(s => s.Values is not null).ToList();
        var sliders = ReadSliders(entry, baseFolder);
        entry.RefuseUnknownKeys();
        IEnumerable<IReadOnlyList<KeyValuePair<string, double>>> combinations = new[] { Array.Empty<KeyValuePair<string, double>>() };
        foreach (var (key, values) in sweeps)
        {
            combinations = combinations.SelectMany(c => values!.Select(v => (IReadOnlyList<KeyValuePair<string, double>>)c.Append(new(key, v)).ToArray())).ToList();
        }
        foreach (var combination in combinations)
        {
            var settings = combination.Aggregate(fixedSettings, Apply);
            var swept = combination.Where(c => sweeps.First(s => s.Key == c.Key).Values!.Count > 1).ToList();
            var name = swept.Count == 0 ? family : $"{family} {string.Join(" ", swept.Select(s => $"{s.Key}={Format(s.Value)}"))}";
            var setting = new StudySetting(name, family, mode, settings, swept, sliders);
            // Checked here as well as with the whole study, so the error names the setting's entry in the file.
            if (StudyChecks.SettingProblem(setting) is string problem)
            {
                throw entry.Error(entry.Path, $"(setting '{name}'): {problem}");
            }
            yield return setting;
        }
    }

    private static GenerationSettings ReadBaseStepsWord(StudyJsonObject entry, GenerationSettings settings)
    {
        var path = entry.ChildPath("baseSteps");
        var text = entry.StringOf(entry.Value("baseSteps")!.Value, path);
        if (!string.Equals(text.Trim(), BaseStepsArgument.Auto, StringComparison.OrdinalIgnoreCase))
        {
            throw entry.Error(path, $"is '{text}'; give a whole number, a sweep of them, or \"{BaseStepsArgument.Auto}\"");
        }
        return BaseStepsArgument.ApplyTo(settings, text);
    }

    // "cads": { "tau1": 0.6 }, "conditionNoise": { "strength": 0.1 }, "guidanceInterval": { "low": 0.28, "high": 5.42 }:
    // the request's methods, with the same names and defaults as the faces' options; the values are checked with the setting.
    private static T? ReadMethod<T>(StudyJsonObject entry, string key, Func<StudyJsonObject, T> read) where T : class
    {
        if (entry.Object(key) is not { } method)
        {
            return null;
        }
        var value = read(method);
        method.RefuseUnknownKeys();
        return value;
    }

    // "sliders": [{ "file": "warmth.safetensors", "strength": 1.5, "target": "both", "startAtTimestep": 700 }]: the
    // same slider specifications as --slider and Add-ConceptSlider; the engine checks the files when the setting runs.
    private static IReadOnlyList<SliderSpec> ReadSliders(StudyJsonObject entry, string baseFolder)
    {
        var list = entry.Array("sliders");
        if (list is null)
        {
            return Array.Empty<SliderSpec>();
        }
        return list.Select(item =>
        {
            var slider = entry.ObjectAt(item.Element, item.Path);
            var file = FullPath(baseFolder, slider.RequiredString("file"));
            if (!File.Exists(file))
            {
                throw slider.Error(slider.ChildPath("file"), $"names '{file}', which is not a file; give a slider or LoRA .safetensors file (relative to the study file)");
            }
            var spec = new SliderSpec(
                file,
                (float)(slider.Number("strength") ?? throw slider.Error(slider.ChildPath("strength"), "is required (1 is the slider's trained strength)")),
                slider.String("target") is string target ? ParseEnum<SliderTarget>(slider, slider.ChildPath("target"), target) : SliderTarget.Both,
                slider.Int("startAtTimestep"));
            slider.RefuseUnknownKeys();
            return spec;
        }).ToList();
    }

    private static GenerationSettings Apply(GenerationSettings settings, KeyValuePair<string, double> value) => value.Key switch
    {
        "steps" => settings with { Steps = (int)value.Value },
        "baseSteps" => settings with { BaseSteps = (int)value.Value },
        "guidance" => settings with { Guidance = (float)value.Value },
        _ => settings with { BaseGuidance = (float)value.Value },
    };

    private static StudyMeasure ReadMeasure(StudyJsonObject study, string baseFolder)
    {
        var measure = study.Object("measure");
        if (measure is null)
        {
            return new StudyMeasure();
        }
        var metrics = measure.Array("metrics")?.Select(x => ParseMetric(measure, x.Path, measure.StringOf(x.Element, x.Path))).Distinct().ToList();
        EmbeddingOptions? embedding = null;
        if (measure.Object("embedding") is { } e)
        {
            embedding = new EmbeddingOptions
            {
                ModelPath = FullPath(baseFolder, e.RequiredString("model")),
                Preset = e.String("preset") is string preset ? ParseEnum<EmbeddingPreset>(e, e.ChildPath("preset"), preset) : EmbeddingOptions.DefaultPreset,
            };
            e.RefuseUnknownKeys();
        }
        var bootstrap = measure.Object("bootstrap");
        var result = new StudyMeasure
        {
            Metrics = metrics ?? new StudyMeasure().Metrics,
            Size = measure.Int("size") ?? new StudyMeasure().Size,
            Embedding = embedding,
            Trajectories = measure.Bool("trajectories") ?? false,
            Threshold = measure.Number("threshold") ?? new StudyMeasure().Threshold,
            BootstrapResamples = bootstrap?.Int("resamples") ?? new StudyMeasure().BootstrapResamples,
            BootstrapSeed = bootstrap?.Int("seed") ?? 0,
            Reference = measure.String("reference") is string reference ? FullPath(baseFolder, reference) : null,
            MaximumFid = measure.Number("maximumFid"),
            MaximumKid = measure.Number("maximumKid"),
            Adherence = ReadAdherence(measure, baseFolder),
        };
        bootstrap?.RefuseUnknownKeys();
        measure.RefuseUnknownKeys();
        CheckReferenceExists(measure, result);
        return result;
    }

    // "adherence": { "demo": true } or { "clipImageModel": "vision.onnx", "clipTextModel": "text.onnx" }, with an optional
    // "minimumAdherence": the adherence verb's request, checked by its own rules; the models are read at merge time.
    private static AdherenceRequest? ReadAdherence(StudyJsonObject measure, string baseFolder)
    {
        if (measure.Object("adherence") is not { } adherence)
        {
            return null;
        }
        var request = new AdherenceRequest
        {
            Demo = adherence.Bool("demo") ?? false,
            ClipImage = adherence.String("clipImageModel") is string image
                ? new EmbeddingOptions { ModelPath = FullPath(baseFolder, image), Preset = EmbeddingPreset.Clip }
                : null,
            ClipTextModel = adherence.String("clipTextModel") is string text ? FullPath(baseFolder, text) : null,
            MinimumAdherence = adherence.Number("minimumAdherence"),
        };
        adherence.RefuseUnknownKeys();
        // Its values first, so a request that names no measure is told so before a model file is looked for.
        StudyChecks.CheckAdherence(request, adherence.Error);
        foreach (var (key, model) in new[] { ("clipImageModel", request.ClipImage?.ModelPath), ("clipTextModel", request.ClipTextModel) })
        {
            if (model is not null && !File.Exists(model))
            {
                throw adherence.Error(adherence.ChildPath(key), $"names '{model}', which is not a file; give the CLIP model's .onnx file (relative to the study file)");
            }
        }
        return request;
    }

    // The reference is read at merge time, but a study that names a missing one is refused before any unit is made.
    private static void CheckReferenceExists(StudyJsonObject measure, StudyMeasure result)
    {
        if (result.Reference is not string reference || result.Embedding is null)
        {
            return;
        }
        bool wildcard = System.IO.Path.GetFileName(reference).IndexOfAny(new[] { '*', '?' }) >= 0;
        if (wildcard ? !Directory.Exists(System.IO.Path.GetDirectoryName(reference)) : !File.Exists(reference) && !Directory.Exists(reference))
        {
            throw measure.Error(measure.ChildPath("reference"),
                $"names '{reference}', which does not exist; give PNG files, a folder, a wildcard, a list file or .fidstats statistics (relative to the study file)");
        }
    }

    private static DiversityMetric ParseMetric(StudyJsonObject owner, string path, string text) =>
        DiversityMetrics.TryParse(text, out var metric) ? metric : throw owner.Error(path, $"is not a metric: '{text}'; use {DiversityMetrics.Alternatives}");

    private static T ParseEnum<T>(StudyJsonObject owner, string path, string text) where T : struct, Enum =>
        Enum.TryParse<T>(text.Replace("-", ""), ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw owner.Error(path, $"is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}: '{text}'");

    private static string FullPath(string baseFolder, string path) => System.IO.Path.GetFullPath(System.IO.Path.Combine(baseFolder, path));

    internal static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
