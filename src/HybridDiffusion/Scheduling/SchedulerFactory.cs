namespace HybridDiffusion.Scheduling;

/// <summary>Creates the scheduler a model folder's scheduler_config.json names.</summary>
public static class SchedulerFactory
{
    public static IReadOnlyList<string> Supported { get; } = new[] { "DDIMScheduler", "LCMScheduler" };

    public static IDiffusionScheduler Create(SchedulerConfig config, IEngineLog? log = null) => config.ClassName switch
    {
        "LCMScheduler" => new LcmScheduler(config),
        "DDIMScheduler" => new DdimScheduler(config),
        _ => FallBackToDdim(config, log ?? NullEngineLog.Instance),
    };

    // Other diffusers schedulers (PNDM, DPM-Solver, ...) share the noise schedule; DDIM samples it faithfully.
    private static IDiffusionScheduler FallBackToDdim(SchedulerConfig config, IEngineLog log)
    {
        log.Warning($"Scheduler '{config.ClassName}' is not implemented; using DDIM with the same noise schedule. " +
            $"Implemented: {string.Join(", ", Supported)}.");
        return new DdimScheduler(config);
    }
}
