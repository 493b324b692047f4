using HybridDiffusion.Contracts;

namespace HybridDiffusion.Core.Scheduling;

/// <summary>Creates the scheduler a model folder's scheduler_config.json names.</summary>
internal static class SchedulerFactory
{
    public static IReadOnlyList<string> Supported { get; } =
        new[] { "DDIMScheduler", "LCMScheduler", "EulerDiscreteScheduler", "EulerAncestralDiscreteScheduler" };

    /// <summary>The short names plans and -Scheduler accept, and the diffusers classes they stand for.</summary>
    public static IReadOnlyDictionary<string, string> ShortNames { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["ddim"] = "DDIMScheduler",
        ["lcm"] = "LCMScheduler",
        ["euler"] = "EulerDiscreteScheduler",
        ["euler-ancestral"] = "EulerAncestralDiscreteScheduler",
    };

    public static IDiffusionScheduler Create(SchedulerConfig config, IEngineLog? log = null) => config.ClassName switch
    {
        "LCMScheduler" => new LcmScheduler(config),
        "DDIMScheduler" => new DdimScheduler(config),
        "EulerDiscreteScheduler" => new EulerScheduler(config, ancestral: false),
        "EulerAncestralDiscreteScheduler" => new EulerScheduler(config, ancestral: true),
        _ => FallBackToDdim(config, log ?? NullEngineLog.Instance),
    };

    /// <summary>The short name of a scheduler instance (for plan text).</summary>
    public static string ShortNameOf(IDiffusionScheduler scheduler) =>
        ShortNames.FirstOrDefault(kv => kv.Value == scheduler.Config.ClassName).Key ?? scheduler.Name.ToLowerInvariant();

    /// <summary>A scheduler by short name (ddim, lcm, euler, euler-ancestral) over a model's noise schedule.</summary>
    public static IDiffusionScheduler ByName(string name, SchedulerConfig modelConfig, SettingId setting) =>
        ShortNames.TryGetValue(name.Trim(), out var className)
            ? Create(modelConfig with { ClassName = className })
            : throw HybridDiffusionException.Argument(setting,
                $"Scheduler '{name}' is not known; use {string.Join(", ", ShortNames.Keys)}.");

    // Other diffusers schedulers (PNDM, DPM-Solver, ...) share the noise schedule; DDIM samples it faithfully.
    private static IDiffusionScheduler FallBackToDdim(SchedulerConfig config, IEngineLog log)
    {
        log.Warning($"Scheduler '{config.ClassName}' is not implemented; using DDIM with the same noise schedule. " +
            $"Implemented: {string.Join(", ", Supported)}.");
        return new DdimScheduler(config);
    }
}
