using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The checks of a <see cref="GenerationRequest"/> that need the engine, after the request's own: scheduler names,
/// slider files, plan syntax, and the initial latents' file and shape. All run before any model is loaded.
/// </summary>
public static class GenerationChecks
{
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
    public static NpyArray? ReadInitialLatents(GenerationRequest request)
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
