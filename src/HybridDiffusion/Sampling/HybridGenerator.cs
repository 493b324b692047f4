using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Demo;
using HybridDiffusion.Imaging;
using HybridDiffusion.Models;
using HybridDiffusion.Scheduling;

namespace HybridDiffusion.Sampling;

/// <summary>
/// The one engine call behind New-HybridImage and `hybrid new-image`: for each prompt, mode and seed, build the plan,
/// denoise, decode, and (when an output folder is given) write the PNG through a temporary file.
/// </summary>
public static class HybridGenerator
{
    /// <summary>Validates the request at once, then yields images as they are made.</summary>
    public static IEnumerable<GeneratedImage> Generate(GenerationRequest request, IGenerationObserver? observer = null,
        CancellationToken cancellation = default)
    {
        request.Validate();
        var (baseFolder, distilledFolder) = ResolveFolders(request, observer);
        return Run(request, baseFolder, distilledFolder, observer ?? SilentObserver.Instance, cancellation);
    }

    private static IEnumerable<GeneratedImage> Run(GenerationRequest request, ModelFolder baseFolder, ModelFolder distilledFolder,
        IGenerationObserver observer, CancellationToken cancellation)
    {
        var settings = request.Settings;
        int latentHeight = settings.Height / 8, latentWidth = settings.Width / 8;
        using var models = new ModelPair(baseFolder, distilledFolder, request.Session, observer, request.Sliders, request.StrictSliders);
        using var session = new GenerationSession(models, latentHeight, latentWidth);
        using var runOptions = new RunOptions();
        using var stop = cancellation.Register(() => runOptions.Terminate = true);
        var naming = new OutputNaming();

        var plans = request.Modes.Distinct().ToDictionary(m => m, m => PlanBuilder.Build(m, settings, role => SchedulerFor(models[role].Scheduler, role, settings)));
        int imageCount = request.Prompts.Count * request.Modes.Count * request.Seeds.Count;
        int imageIndex = 0;
        foreach (var prompt in request.Prompts)
        {
            foreach (var mode in request.Modes)
            {
                var plan = plans[mode];
                int stepCount = plan.StepCount;   // computed once: the progress callback runs every step and must not allocate
                foreach (var seed in request.Seeds)
                {
                    GeneratedImage image;
                    try
                    {
                        image = session.Generate(plan, mode, prompt, settings, seed, runOptions, (in StepState progress) => observer.OnProgress(
                            new GenerationProgress(imageIndex, imageCount, progress.PlanStepIndex, stepCount, progress.Step.Timestep,
                                progress.Segment.Model, prompt, seed, mode)), request.TrajectoryEvery, cancellation);
                    }
                    catch (OnnxRuntimeException) when (cancellation.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(cancellation);
                    }
                    if (request.OutputDirectory is not null)
                    {
                        var path = Path.GetFullPath(Path.Combine(request.OutputDirectory, naming.NameFor(prompt, mode, seed)));
                        if (observer.ShouldWriteFile(path))
                        {
                            cancellation.ThrowIfCancellationRequested();
                            AtomicFile.WriteAllBytes(path, PngEncoder.Encode(image.Image, image.Metadata()));
                            image.Path = path;
                        }
                    }
                    imageIndex++;
                    yield return image;
                }
            }
        }
    }

    // -Scheduler replaces every model's scheduler class; a preset sets the distilled model's family settings.
    private static IDiffusionScheduler SchedulerFor(IDiffusionScheduler folders, ModelRole role, GenerationSettings settings)
    {
        if (settings.Scheduler is string name)
        {
            return SchedulerFactory.ByName(name, folders.Config, "Scheduler");
        }
        return role == ModelRole.Distilled && settings.Preset is DistilledPreset preset
            ? SchedulerFactory.Create(Presets.Apply(folders.Config, preset))
            : folders;
    }

    private static (ModelFolder Base, ModelFolder Distilled) ResolveFolders(GenerationRequest request, IGenerationObserver? observer)
    {
        if (request.BaseModel is null && request.DistilledModel is null)
        {
            var demo = DemoModels.EnsureInstalled(observer);
            return (ModelFolder.Open(demo.BaseModel, "BaseModel"), ModelFolder.Open(demo.DistilledModel, "DistilledModel"));
        }
        var needsBase = request.Modes.Any(m => m != GenerationMode.Distilled && m != GenerationMode.SkipFirst)
            || request.DistilledModel is not null;
        var needsDistilled = request.Modes.Any(m => m != GenerationMode.Base);
        if (request.BaseModel is null && needsBase)
        {
            throw HybridDiffusionException.Argument("BaseModel",
                "A base model folder is needed with -DistilledModel (its text encoder and VAE are shared, and the modes run it). " +
                "Pass -BaseModel, or neither folder to use the demo pair.");
        }
        if (request.DistilledModel is null && needsDistilled)
        {
            throw HybridDiffusionException.Argument("DistilledModel",
                $"Modes {string.Join(", ", request.Modes.Where(m => m != GenerationMode.Base))} run a distilled model; pass -DistilledModel.");
        }
        var baseFolder = ModelFolder.Open(request.BaseModel!, "BaseModel");
        var distilledFolder = request.DistilledModel is null ? baseFolder : ModelFolder.Open(request.DistilledModel, "DistilledModel");
        return (baseFolder, distilledFolder);
    }
}
