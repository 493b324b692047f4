using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Core.Output;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The engine call behind Invoke-HybridStudy and `hybrid study run`: makes the units of one shard that the results
/// folder does not hold yet, batch by batch, and records each unit (image, then record) as soon as its batch is done.
/// A batch with any unit missing is made whole again, so its images are computed exactly as in any other sharding.
/// </summary>
public static class StudyRunner
{
    public static StudyRunOutcome Run(HybridEngine engine, StudyRunRequest request, IStudyObserver? observer = null, CancellationToken cancellation = default)
    {
        observer ??= new LogOnlyStudyObserver(engine.Log);
        var study = WithModels(engine, request.Study);
        // Every setting's plan is checked on the models first, so a setting the engine refuses (a guidance interval on
        // a mode without guidance) ends the run before any unit of another setting is made.
        foreach (var setting in study.Settings)
        {
            engine.Check(Generation(study, 0, setting, new[] { study.SeedStart }), new StudyGenerationObserver(observer));
        }
        var hash = StudyHash.Compute(study);
        var folder = OutputDestination.PrepareFolder(request.OutputDirectory, Contracts.SettingId.OutputDirectory, "the results folder");
        new StudyManifest(StudyManifest.CurrentFormat, hash, study).WriteOrCheck(folder);
        var store = new UnitRecordStore(folder, study, hash);

        // The shard's batches are enumerated, never held: a study of millions of units runs in the memory of one request.
        long units = StudyPlan.Batches(study, request.Shard).Sum(b => (long)b.SeedCount), alreadyDone = 0, made = 0, redone = 0;
        observer.Verbose($"Study {hash[..12]}, shard {request.Shard}: {units} units.");
        IEnumerable<PendingBatch> Pending()
        {
            foreach (var batch in StudyPlan.Batches(study, request.Shard))
            {
                // Reading a million recorded units takes a while: Ctrl+C stops it between batches.
                cancellation.ThrowIfCancellationRequested();
                var done = batch.Seeds.Where(seed => store.Read(batch.PromptIndex, batch.SettingIndex, seed, checkImage: true, damaged: message =>
                {
                    redone++;
                    observer.Warning(message);
                }) is not null).ToHashSet();
                alreadyDone += done.Count;
                if (done.Count < batch.SeedCount)
                {
                    // The batch is made whole, but only its units without a sound record are written.
                    yield return new PendingBatch(batch, done);
                }
            }
        }
        using var requests = Requests(Pending(), study.BatchSize).GetEnumerator();
        bool more = requests.MoveNext();
        bool embeds = study.Measure.Metrics.Contains(DiversityMetric.Embedding);
        // Opened only when a unit is to be made: a shard whose units are all recorded loads no model.
        using var embedder = more && (embeds || study.Measure.Reference is not null) ? ImageEmbedder.Open(engine, study.Measure.Embedding!, observer) : null;
        var generationObserver = new StudyGenerationObserver(observer);
        for (; more; more = requests.MoveNext())
        {
            var requestBatches = requests.Current;
            var first = requestBatches[0].Batch;
            var setting = study.Settings[first.SettingIndex];
            TempNames.SweepStale(Path.Combine(folder, StudyLayout.GroupFolder(study, first.PromptIndex, first.SettingIndex)));
            var generation = Generation(study, first.PromptIndex, setting, requestBatches.SelectMany(b => b.Batch.Seeds).ToArray());
            using var images = engine.Generate(generation, generationObserver, cancellation).GetEnumerator();
            foreach (var (batch, recorded) in requestBatches)
            {
                var batchImages = new List<GeneratedImage>(batch.SeedCount);
                while (batchImages.Count < batch.SeedCount && images.MoveNext())
                {
                    batchImages.Add(images.Current);
                }
                var unitImages = batchImages.Select(i => UnitImage.From(i.Image)).ToList();
                var embeddings = embeds ? embedder!.Embed(unitImages, null, cancellation) : null;
                var features = study.Measure.Reference is null ? null : embedder!.Features(unitImages, null, cancellation);
                for (int i = 0; i < batchImages.Count; i++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var image = batchImages[i];
                    if (recorded.Contains(image.Seed))
                    {
                        continue;
                    }
                    var png = PngEncoder.Encode(image.Image, image.Metadata());
                    store.Write(new UnitRecord
                    {
                        Study = hash,
                        PromptIndex = batch.PromptIndex,
                        Prompt = image.Prompt,
                        Setting = setting.Name,
                        Seed = image.Seed,
                        Image = store.RelativeImagePath(batch.PromptIndex, batch.SettingIndex, image.Seed),
                        ImageSha256 = ContentHash.OfBytes(png),
                        Provider = image.Provider,
                        BatchSize = image.BatchSize,
                        ThreadCount = study.ThreadCount,
                        Plan = image.Plan,
                        ModelCalls = image.ModelCalls,
                        Embedding = embeddings?[i],
                        Features = features?[i],
                        Trajectory = image.Trajectory?.Select(s => new[] { s.FractionDone, s.DistanceToFinal }).ToArray(),
                        Timings = new UnitTimings(image.ElapsedMs, image.UNetMs, image.DenoiseMs, image.SetupMs),
                    }, png);
                    made++;
                    observer.OnProgress(new StudyProgress("made", alreadyDone + made, units, image.Prompt, setting.Name));
                }
            }
        }
        return new StudyRunOutcome(hash, request.Shard, folder, units, alreadyDone, made, redone);
    }

    /// <summary>The study with its model folders named: the engine's default pair when it names neither.</summary>
    internal static StudyDefinition WithModels(HybridEngine engine, StudyDefinition study)
    {
        if (study.BaseModel is not null || study.DistilledModel is not null)
        {
            return study;
        }
        var (baseModel, distilledModel) = engine.DefaultModels();
        return study with { BaseModel = Path.GetFullPath(baseModel), DistilledModel = Path.GetFullPath(distilledModel) };
    }

    // Consecutive pending batches of one group go into one generation request (its session, bindings and prompt
    // conditioning are then made once), up to the images the engine's sequential memory mode holds in one window, in
    // whole batches, so the engine's own batching cuts exactly the study's batches.
    private static IEnumerable<List<PendingBatch>> Requests(IEnumerable<PendingBatch> pending, int batchSize)
    {
        int batchesPerRequest = Math.Max(1, SequentialMemory.WindowImages / batchSize);
        var current = new List<PendingBatch>();
        foreach (var batch in pending)
        {
            if (current.Count > 0 && (current.Count == batchesPerRequest
                || (current[0].Batch.PromptIndex, current[0].Batch.SettingIndex) != (batch.Batch.PromptIndex, batch.Batch.SettingIndex)))
            {
                yield return current;
                current = new List<PendingBatch>();
            }
            current.Add(batch);
        }
        if (current.Count > 0)
        {
            yield return current;
        }
    }

    /// <param name="Recorded">The batch's seeds that have a sound record already.</param>
    private sealed record PendingBatch(StudyBatch Batch, HashSet<long> Recorded);

    private static GenerationRequest Generation(StudyDefinition study, int promptIndex, StudySetting setting, IReadOnlyList<long> seeds) => new()
    {
        Prompts = new[] { study.Prompts[promptIndex] },
        Seeds = seeds,
        Modes = new[] { setting.Mode },
        Settings = setting.Settings,
        Sliders = setting.Sliders,
        BaseModel = study.BaseModel,
        DistilledModel = study.DistilledModel,
        Provider = study.Provider,
        ThreadCount = study.ThreadCount,
        BatchSize = study.BatchSize,
        TrajectoryEvery = study.Measure.Trajectories ? 1 : null,
    };
}
