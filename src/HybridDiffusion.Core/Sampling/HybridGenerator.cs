namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// What <see cref="Engine.HybridEngine.Generate(GenerationRequest, IGenerationObserver?, CancellationToken)"/> runs,
/// as one numbered recipe: 1 check, 2 decide the images, 3 resolve the models, 4 plan, 5 choose resources, 6 load,
/// then batch by batch 7 encode, 8 denoise, 9 decode and 10 write. Each step is one named method here or one call
/// into the type that does it; progress goes down once, as a <see cref="ProgressSink"/>.
/// </summary>
internal static class HybridGenerator
{
    /// <summary>Steps 1–3 run at once (a bad request fails at the call); the rest as images are asked for.</summary>
    /// <param name="sessionSettings">How the sessions are made: the request's provider and threads, or a test's settings beyond them.</param>
    /// <param name="defaultModels">The pair a request that names neither model runs on; asked only once an image is to be made.</param>
    /// <param name="transitions">The engine's cache of automatic base steps (--base-steps auto), one choice per prompt and model pair.</param>
    public static IEnumerable<GeneratedImage> Generate(SessionCache sessions, TransitionChoices transitions, DefaultModelPair? defaultModels,
        GenerationRequest request, SessionSettings sessionSettings, IGenerationObserver observer, CancellationToken cancellation)
    {
        // 1. Check: every check that needs no model, before anything is written or loaded.
        var initialLatents = GenerationChecks.BeforeLoading(request, observer);
        // 2. Decide the images: each output file is asked for before its image is made (a declined file, -WhatIf or
        // -Confirm, is an image that is not made), and nothing is loaded until one is accepted.
        var orders = DecideImages(request, observer).GetEnumerator();
        if (!orders.MoveNext())
        {
            orders.Dispose();
            return Array.Empty<GeneratedImage>();
        }
        // 3. Resolve the models: the named folders, or the engine's default pair.
        var (baseFolder, distilledFolder) = ResolveModels(request, defaultModels, observer);
        return Run(sessions, transitions, request, sessionSettings, initialLatents, orders, baseFolder, distilledFolder, observer, cancellation);
    }

    /// <summary>
    /// Steps 1, 3 and 4 alone: every check a generation makes before its first image, the plans included (they need the
    /// folders' scheduler configs), with no session loaded and nothing written.
    /// </summary>
    public static void Check(SessionCache sessions, DefaultModelPair? defaultModels, GenerationRequest request, IGenerationObserver observer)
    {
        GenerationChecks.BeforeLoading(request, observer);
        var (baseFolder, distilledFolder) = ResolveModels(request, defaultModels, observer);
        using var models = new ModelPair(sessions, baseFolder, distilledFolder, new SessionSettings(request.Provider, IntraOpThreads: request.ThreadCount),
            observer, request.Sliders, request.StrictSliders);
        Plan(request, models);
    }

    /// <param name="orders">Positioned on the first accepted order; owned (disposed) by this run.</param>
    private static IEnumerable<GeneratedImage> Run(SessionCache sessions, TransitionChoices transitions, GenerationRequest request, SessionSettings sessionSettings,
        NpyArray? initialLatents, IEnumerator<ImageOrder> orders, ModelFolder baseFolder, ModelFolder distilledFolder, IGenerationObserver observer,
        CancellationToken cancellation)
    {
        using var pending = orders;
        var settings = request.Settings;
        // The resolved folders as a pair: each model's ONNX sessions open when a step first needs them.
        using var models = new ModelPair(sessions, baseFolder, distilledFolder, sessionSettings, observer, request.Sliders, request.StrictSliders);
        // 4. Plan each mode (from the folders' scheduler configs; no session yet).
        var plans = Plan(request, models);
        // 5. Choose resources: batch size (by the first UNet's provider, which loads it) and memory mode.
        var (batchSize, memoryMode) = ChooseResources(request, models, baseFolder, distilledFolder, plans, observer);
        // 6. Load: the generation session, which binds the UNets as segments need them, one UNet at a time in sequential mode.
        using var session = new GenerationSession(models, settings.Height / 8, settings.Width / 8, memoryMode);
        using var runOptions = new RunOptions();
        // Ctrl+C, or the timeout's watchdog: either stops a session run within its current operator. A batch of N
        // images may go N times the timeout without progress (a model step, a decode).
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var stop = limit.Token.Register(() => runOptions.Terminate = true);
        var watchdog = new Watchdog(limit, request.TimeoutSeconds, batchSize);
        var progress = new ProgressSink(observer, watchdog, request.ImageCount, TotalSteps(request, plans));

        // Under --base-steps auto each prompt's hybrid plan is chosen as its first image is ordered (probing through this session).
        var automatic = settings.AutoBaseSteps
            ? new AutomaticTransition(request, plans[GenerationMode.Hybrid], k => PlanBuilder.Build(GenerationMode.Hybrid, settings with { BaseSteps = k },
                role => SchedulerFor(models.SchedulerOf(role), role, settings)), transitions, baseFolder, distilledFolder, observer)
            : null;
        Func<string, (SamplingPlan, TransitionChoice)>? hybridFor = automatic is null ? null : prompt => automatic.For(prompt, session, runOptions, limit.Token);
        using var work = new BatchOrder(batchSize, memoryMode).Of(Jobs(request, pending, plans, hybridFor, initialLatents)).GetEnumerator();
        while (true)
        {
            IReadOnlyList<ImageJob> denoised;
            List<GeneratedImage> images;
            try
            {
                if (DenoiseNextBatch(work, session, settings, progress, watchdog, runOptions, limit.Token) is not { } done)
                {
                    yield break;
                }
                denoised = done;
                watchdog.Restart();
                images = Decode(session, denoised, settings, sessionSettings, runOptions, limit.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or OnnxRuntimeException && limit.IsCancellationRequested)
            {
                // RunOptions.Terminate stopped a session run (denoising or decoding): the user's cancellation, or the timeout's.
                throw cancellation.IsCancellationRequested ? new OperationCanceledException(cancellation) : watchdog.Expired(ex);
            }
            for (int i = 0; i < images.Count; i++)
            {
                yield return Write(images[i], denoised[i].OutputPath, cancellation);
            }
        }
    }

    /// <summary>Steps 7 and 8 for each segment the batch order asks for, until a batch is denoised; null when none is left.</summary>
    private static IReadOnlyList<ImageJob>? DenoiseNextBatch(IEnumerator<BatchOrder.Work> work, GenerationSession session, GenerationSettings settings,
        ProgressSink progress, Watchdog watchdog, RunOptions runOptions, CancellationToken cancellation)
    {
        while (true)
        {
            watchdog.Restart();
            if (!work.MoveNext())
            {
                return null;
            }
            var (batch, isDenoised) = work.Current;
            if (isDenoised)
            {
                return batch;
            }
            // 7. Encode: the batch's prompts into the UNet bindings of its next segment (each prompt encoded once while it is cached).
            var segment = session.Encode(batch, settings.NegativePrompt, runOptions);
            // 8. Denoise: the segment's steps over the batch, each image's steps told to the progress sink.
            session.Denoise(segment, progress, runOptions, cancellation);
        }
    }

    /// <summary>9. Decode: the denoised latents into pictures, described with the plan, models and timings.</summary>
    private static List<GeneratedImage> Decode(GenerationSession session, IReadOnlyList<ImageJob> denoised, GenerationSettings settings,
        SessionSettings sessionSettings, RunOptions runOptions, CancellationToken cancellation) =>
        session.Decode(denoised, settings, runOptions, cancellation).Select(image => image with { ThreadCount = sessionSettings.IntraOpThreads }).ToList();

    /// <summary>10. Write: the PNG file the image was ordered with, whole (none when the request keeps images in memory).</summary>
    private static GeneratedImage Write(GeneratedImage image, string? path, CancellationToken cancellation)
    {
        if (path is not null)
        {
            cancellation.ThrowIfCancellationRequested();
            ImageExport.WriteFile(image, path);
            return image with { Path = path };
        }
        return image;
    }

    /// <summary>The image to make, with the file it goes to (null keeps it in memory only).</summary>
    private readonly record struct ImageOrder(string Prompt, GenerationMode Mode, long Seed, string? Path);

    /// <summary>The images to make in request order (prompt, mode, seed), asked for one by one as the run needs them.</summary>
    private static IEnumerable<ImageOrder> DecideImages(GenerationRequest request, IGenerationObserver observer)
    {
        var naming = new OutputNaming(OutputNaming.NamesMayRepeat(request));
        var seeds = request.ImageSeeds;
        foreach (var prompt in request.Prompts)
        {
            foreach (var mode in request.Modes)
            {
                foreach (var seed in seeds)
                {
                    if (request.OutputDirectory is null)
                    {
                        yield return new ImageOrder(prompt, mode, seed, null);
                        continue;
                    }
                    var path = Path.GetFullPath(Path.Combine(request.OutputDirectory, naming.NameFor(prompt, mode, seed)));
                    if (observer.ShouldWriteFile(path))
                    {
                        yield return new ImageOrder(prompt, mode, seed, path);
                    }
                }
            }
        }
    }

    /// <summary>The jobs of the accepted orders, made as the batch order asks for them, so a long run (--count 1000000000) holds only the images in flight.</summary>
    /// <param name="pending">Positioned on the first accepted order.</param>
    /// <param name="hybridFor">Under --base-steps auto, the hybrid plan of a prompt and how its k was chosen; null: the mode's plan.</param>
    private static IEnumerable<ImageJob> Jobs(GenerationRequest request, IEnumerator<ImageOrder> pending, IReadOnlyDictionary<GenerationMode, SamplingPlan> plans,
        Func<string, (SamplingPlan, TransitionChoice)>? hybridFor, NpyArray? initialLatents)
    {
        int index = 0;
        do
        {
            var (prompt, mode, seed, path) = pending.Current;
            var (plan, transition) = mode == GenerationMode.Hybrid && hybridFor is not null ? hybridFor(prompt) : (plans[mode], null);
            var recorder = request.TrajectoryEvery is int every ? new TrajectoryRecorder(every, plan.StepCount) : null;
            yield return new ImageJob(index++, prompt, mode, seed, plan, recorder, request.NoiseSource, initialLatents)
            {
                OutputPath = path,
                Transition = transition,
            };
        }
        while (pending.MoveNext());
    }

    /// <summary>4. Plan: one plan per mode, on each model's scheduler (or the one the request or its preset names).</summary>
    private static Dictionary<GenerationMode, SamplingPlan> Plan(GenerationRequest request, ModelPair models) =>
        request.Modes.Distinct().ToDictionary(m => m, m => PlanBuilder.Build(m, request.Settings, role => SchedulerFor(models.SchedulerOf(role), role, request.Settings)));

    private static long TotalSteps(GenerationRequest request, IReadOnlyDictionary<GenerationMode, SamplingPlan> plans) =>
        (long)request.Prompts.Count * request.ImageSeeds.Count * request.Modes.Sum(m => (long)plans[m].StepCount);

    /// <summary>5. Choose resources: the batch size and memory mode the request asks for, or the automatic ones.</summary>
    private static (int BatchSize, MemoryMode MemoryMode) ChooseResources(GenerationRequest request, ModelPair models, ModelFolder baseFolder,
        ModelFolder distilledFolder, IReadOnlyDictionary<GenerationMode, SamplingPlan> plans, IGenerationObserver observer)
    {
        bool usesBase = plans.Values.Any(p => p.Uses(ModelRole.Base)), usesDistilled = plans.Values.Any(p => p.Uses(ModelRole.Distilled));
        long baseBytes = usesBase ? OnnxFileSize.Of(baseFolder.UnetPath) : 0;
        long distilledBytes = usesDistilled ? OnnxFileSize.Of(distilledFolder.UnetPath) : 0;
        bool twoUNets = usesBase && usesDistilled && baseFolder.UnetPath != distilledFolder.UnetPath;
        int batchSize = request.BatchSize ?? ResourcePlanner.AutoBatchSize(Math.Max(baseBytes, distilledBytes),
            models.UNetOf(plans[request.Modes[0]].Segments[0].Model).ActiveProvider, request.ImageCount);
        var memoryMode = ResourcePlanner.ResolveMemoryMode(request.MemoryMode, baseBytes, distilledBytes, twoUNets,
            request.MemoryMode == MemoryMode.Auto && twoUNets ? ResourcePlanner.AvailableMemoryBytes() : 0);
        observer.Verbose($"Batch size {batchSize}{(request.BatchSize is null ? " (auto)" : "")}; memory mode {memoryMode}" +
            $"{(request.MemoryMode == MemoryMode.Auto ? " (auto)" : "")}; UNets {baseBytes >> 20} + {distilledBytes >> 20} MB.");
        return (batchSize, memoryMode);
    }

    // -Scheduler replaces every model's scheduler class; a preset sets the distilled model's family settings.
    private static IDiffusionScheduler SchedulerFor(IDiffusionScheduler folders, ModelRole role, GenerationSettings settings)
    {
        if (settings.Scheduler is string name)
        {
            return SchedulerFactory.ByName(name, folders.Config, SettingId.Scheduler);
        }
        return role == ModelRole.Distilled && settings.Preset is DistilledPreset preset
            ? SchedulerFactory.Create(Presets.Apply(folders.Config, preset))
            : folders;
    }

    /// <summary>The default pair's folders (asking for them may write them); refused when the engine has none.</summary>
    public static (string BaseModel, string DistilledModel) DefaultFolders(DefaultModelPair? defaultModels, IEngineLog log) =>
        defaultModels?.Invoke(log) ?? throw HybridDiffusionException.Argument(SettingId.BaseModel,
            "Name the base and distilled model folders: this engine was made without a default model pair.");

    /// <summary>3. Resolve the models: the folders the request names (checked to exist), or the default pair's.</summary>
    private static (ModelFolder Base, ModelFolder Distilled) ResolveModels(GenerationRequest request, DefaultModelPair? defaultModels, IEngineLog log)
    {
        if (request.BaseModel is null && request.DistilledModel is null)
        {
            var (defaultBase, defaultDistilled) = DefaultFolders(defaultModels, log);
            return (ModelFolder.Open(defaultBase, "BaseModel"), ModelFolder.Open(defaultDistilled, "DistilledModel"));
        }
        // A named folder that is not there is the first thing to say, before what the other, missing, folder is for.
        var baseFolder = request.BaseModel is null ? null : ModelFolder.Open(request.BaseModel, "BaseModel");
        var distilledFolder = request.DistilledModel is null ? null : ModelFolder.Open(request.DistilledModel, "DistilledModel");
        var needsBase = request.Modes.Any(m => m != GenerationMode.Distilled && m != GenerationMode.SkipFirst)
            || request.DistilledModel is not null;
        var needsDistilled = request.Modes.Any(m => m != GenerationMode.Base);
        if (request.BaseModel is null && needsBase)
        {
            throw HybridDiffusionException.Argument(SettingId.BaseModel,
                "A base model folder is needed with a distilled model (its text encoder and VAE are shared, and the modes run it). " +
                "Name the base model folder too.");
        }
        if (request.DistilledModel is null && needsDistilled)
        {
            throw HybridDiffusionException.Argument(SettingId.DistilledModel,
                $"Modes {string.Join(", ", request.Modes.Where(m => m != GenerationMode.Base))} run a distilled model; name the distilled model folder.");
        }
        return (baseFolder!, distilledFolder ?? baseFolder!);
    }
}
