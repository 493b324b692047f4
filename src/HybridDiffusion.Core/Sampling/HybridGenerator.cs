using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Output;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// What <see cref="Engine.HybridEngine.Generate(GenerationRequest, IGenerationObserver?, CancellationToken)"/> runs: for each prompt, mode and seed, build the plan, denoise, decode, and
/// (when an output folder is given) write the PNG through a temporary file, with sessions from the engine's cache.
/// </summary>
internal static class HybridGenerator
{
    /// <summary>Validates the request at once, then yields images as they are made.</summary>
    /// <param name="sessionSettings">How the sessions are made: the request's provider and threads, or a test's settings beyond them.</param>
    /// <param name="defaultModels">The pair a request that names neither model runs on; asked only once an image is to be made.</param>
    public static IEnumerable<GeneratedImage> Generate(SessionCache sessions, DefaultModelPair? defaultModels, GenerationRequest request,
        SessionSettings sessionSettings, IGenerationObserver observer, CancellationToken cancellation)
    {
        GenerationChecks.Validate(request);
        var initialLatents = GenerationChecks.ReadInitialLatents(request);
        if (request.OutputDirectory is not null)
        {
            OutputDestination.PrepareFolder(request.OutputDirectory, SettingId.OutputDirectory, "the output folder", observer);
        }
        ResourcePlanner.CheckImageFits(request.Settings, ResourcePlanner.AvailableMemoryBytes());
        // Each output file is decided before its image is made (a declined file, -WhatIf or -Confirm, is an image that
        // is not made), and nothing is loaded until one is accepted, so when every file is declined nothing runs at all.
        var orders = Orders(request, observer).GetEnumerator();
        if (!orders.MoveNext())
        {
            orders.Dispose();
            return Array.Empty<GeneratedImage>();
        }
        var (baseFolder, distilledFolder) = ResolveFolders(request, defaultModels, observer);
        return Run(sessions, request, sessionSettings, initialLatents, orders, baseFolder, distilledFolder, observer, cancellation);
    }

    /// <summary>The image to make, with the file it goes to (null keeps it in memory only).</summary>
    private readonly record struct ImageOrder(string Prompt, GenerationMode Mode, long Seed, string? Path);

    /// <summary>The images to make in request order (prompt, mode, seed), asked for one by one as the runner needs them.</summary>
    private static IEnumerable<ImageOrder> Orders(GenerationRequest request, IGenerationObserver observer)
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

    /// <param name="orders">Positioned on the first accepted order; owned (disposed) by this run.</param>
    private static IEnumerable<GeneratedImage> Run(SessionCache sessions, GenerationRequest request, SessionSettings sessionSettings,
        NpyArray? initialLatents, IEnumerator<ImageOrder> orders, ModelFolder baseFolder, ModelFolder distilledFolder, IGenerationObserver observer,
        CancellationToken cancellation)
    {
        using var pending = orders;
        var settings = request.Settings;
        int latentHeight = settings.Height / 8, latentWidth = settings.Width / 8;
        using var models = new ModelPair(sessions, baseFolder, distilledFolder, sessionSettings, observer, request.Sliders, request.StrictSliders);
        using var session = new GenerationSession(models, latentHeight, latentWidth);
        using var runOptions = new RunOptions();
        // Ctrl+C, or the timeout's watchdog: either stops a session run within its current operator.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var stop = limit.Token.Register(() => runOptions.Terminate = true);

        var plans = request.Modes.Distinct().ToDictionary(m => m, m => PlanBuilder.Build(m, settings, role => SchedulerFor(models.SchedulerOf(role), role, settings)));
        // Jobs are made as the runner asks for them, so a long run (--count 1000000000) holds only the images in flight.
        int imageCount = request.ImageCount;
        IEnumerable<ImageJob> Jobs()
        {
            int index = 0;
            do
            {
                var (prompt, mode, seed, path) = pending.Current;
                var plan = plans[mode];
                var recorder = request.TrajectoryEvery is int every ? new TrajectoryRecorder(every, plan.StepCount) : null;
                yield return new ImageJob(index++, prompt, mode, seed, plan, recorder, request.NoiseSource, initialLatents) { OutputPath = path };
            }
            while (pending.MoveNext());
        }
        var (batchSize, memoryMode) = ChooseResources(request, models, baseFolder, distilledFolder, plans, observer);
        long totalSteps = (long)request.Prompts.Count * request.ImageSeeds.Count * request.Modes.Sum(m => (long)plans[m].StepCount), stepsDone = 0;
        // The watchdog: a batch of N images may go N times the timeout without progress (a model step, a decode).
        var watchdog = new Watchdog(limit, request.TimeoutSeconds, batchSize);
        void OnStep(ImageJob job, in StepState state)
        {
            watchdog.Restart();
            observer.OnProgress(new GenerationProgress(job.Index, imageCount,
                state.PlanStepIndex, job.StepCount, state.Step.DisplayTimestep, state.Segment.Model, job.Prompt, job.Seed, job.Mode, ++stepsDone, totalSteps));
        }
        var runner = new JobRunner(session, settings, runOptions, OnStep, batchSize, limit.Token);
        var denoised = memoryMode == MemoryMode.Sequential ? runner.RunSequential(Jobs()) : runner.RunConcurrent(Jobs());

        using var next = denoised.GetEnumerator();
        while (true)
        {
            List<GeneratedImage> images;
            IReadOnlyList<ImageJob> finished;
            try
            {
                watchdog.Restart();
                if (!next.MoveNext())
                {
                    yield break;
                }
                finished = next.Current;
                watchdog.Restart();
                images = session.Finish(finished, settings, runOptions, limit.Token)
                    .Select(image => image with { ThreadCount = sessionSettings.IntraOpThreads }).ToList();
            }
            catch (Exception ex) when (ex is OperationCanceledException or OnnxRuntimeException && limit.IsCancellationRequested)
            {
                // RunOptions.Terminate stopped a session run (denoising or decoding): the user's cancellation, or the timeout's.
                throw cancellation.IsCancellationRequested ? new OperationCanceledException(cancellation) : watchdog.Expired(ex);
            }
            for (int i = 0; i < images.Count; i++)
            {
                var (image, path) = (images[i], finished[i].OutputPath);
                if (path is not null)
                {
                    cancellation.ThrowIfCancellationRequested();
                    AtomicFile.WriteAllBytes(path, PngEncoder.Encode(image.Image, image.Metadata()));
                    image = image with { Path = path };
                }
                yield return image;
            }
        }
    }

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

    private static (ModelFolder Base, ModelFolder Distilled) ResolveFolders(GenerationRequest request, DefaultModelPair? defaultModels, IEngineLog log)
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
