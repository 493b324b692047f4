using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Output;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The checks of a <see cref="GenerationRequest"/> that need the engine, after the request's own: scheduler names,
/// slider files, plan syntax, the initial latents' file and shape, the output folder and the image's least memory.
/// All run before any model is loaded; what is checked here is trusted below (the plan builder checks no step count).
/// </summary>
public static class GenerationChecks
{
    /// <summary>Every check of the request before anything is written or loaded; gives its initial latents (null when none).</summary>
    /// <param name="log">Hears about the output folder (created when missing).</param>
    public static NpyArray? BeforeLoading(GenerationRequest request, IEngineLog log)
    {
        Validate(request);
        var initialLatents = ReadInitialLatents(request);
        if (request.OutputDirectory is not null)
        {
            OutputDestination.PrepareFolder(request.OutputDirectory, SettingId.OutputDirectory, "the output folder", log);
        }
        ResourcePlanner.CheckImageFits(request.Settings, ResourcePlanner.AvailableMemoryBytes());
        return initialLatents;
    }

    /// <summary>The checks that read no file: the request's own, then scheduler names, slider files and plan syntax.</summary>
    public static void Validate(GenerationRequest request)
    {
        request.Validate();
        var settings = request.Settings;
        if (settings.Scheduler is string scheduler && !SchedulerKinds.TryParse(scheduler, out _))
        {
            throw HybridDiffusionException.Argument(SettingId.Scheduler, SchedulerKinds.NotKnown(scheduler));
        }
        SliderCatalog.Validate(request.Sliders);
        if (settings.Plan is not null)
        {
            PlanParser.Parse(settings.Plan);
        }
    }

    /// <summary>Reads the request's initial latents, which must match its image size; null when it has none.</summary>
    private static NpyArray? ReadInitialLatents(GenerationRequest request)
    {
        if (request.InitialLatents is not string path)
        {
            return null;
        }
        var latents = NpyArray.Read(path, "the initial latents");
        var settings = request.Settings;
        if (latents.Shape.Count is not (3 or 4) || latents.Shape[^2] != settings.Height / 8 || latents.Shape[^1] != settings.Width / 8)
        {
            throw HybridDiffusionException.Argument(SettingId.InitialLatents,
                $"The initial latents '{latents.Source}' have shape {latents.ShapeText}; a {settings.Width}x{settings.Height} " +
                $"image needs [1, channels, {settings.Height / 8}, {settings.Width / 8}] (height/8, width/8). Set the width and height to 8 times the file's last two sizes.");
        }
        int bad = Array.FindIndex(latents.Values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw HybridDiffusionException.Argument(SettingId.InitialLatents,
                $"The initial latents '{latents.Source}' hold {latents.Values[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)} at value {bad}; latents must be finite numbers. Save them again from a run that produced finite values.");
        }
        return latents;
    }
}
