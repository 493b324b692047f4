using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.Core.Scheduling;

/// <summary>Creates the scheduler a model folder's scheduler_config.json names.</summary>
internal static class SchedulerFactory
{
    public static IReadOnlyList<string> Supported { get; } = Enum.GetValues<SchedulerKind>().Select(ClassName).ToArray();

    /// <summary>The diffusers class a scheduler kind stands for.</summary>
    public static string ClassName(SchedulerKind kind) => kind switch
    {
        SchedulerKind.Ddim => "DDIMScheduler",
        SchedulerKind.Lcm => "LCMScheduler",
        SchedulerKind.Euler => "EulerDiscreteScheduler",
        SchedulerKind.EulerAncestral => "EulerAncestralDiscreteScheduler",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static IDiffusionScheduler Create(SchedulerConfig config, IEngineLog? log = null) => KindOf(config.ClassName) switch
    {
        SchedulerKind.Lcm => new LcmScheduler(config),
        SchedulerKind.Ddim => new DdimScheduler(config),
        SchedulerKind.Euler => new EulerScheduler(config, ancestral: false),
        SchedulerKind.EulerAncestral => new EulerScheduler(config, ancestral: true),
        _ => FallBackToDdim(config, log ?? NullEngineLog.Instance),
    };

    /// <summary>The short name of a scheduler instance (for plan text).</summary>
    public static string ShortNameOf(IDiffusionScheduler scheduler) =>
        KindOf(scheduler.Config.ClassName) is { } kind ? SchedulerKinds.Name(kind) : scheduler.Name.ToLowerInvariant();

    /// <summary>A scheduler by short name (ddim, lcm, euler, euler-ancestral) over a model's noise schedule.</summary>
    public static IDiffusionScheduler ByName(string name, SchedulerConfig modelConfig, SettingId setting) =>
        SchedulerKinds.TryParse(name.Trim(), out var kind)
            ? Create(modelConfig with { ClassName = ClassName(kind) })
            : throw HybridDiffusionException.Argument(setting, SchedulerKinds.NotKnown(name));

    private static SchedulerKind? KindOf(string className) =>
        Enum.GetValues<SchedulerKind>().Where(kind => ClassName(kind) == className).Select(kind => (SchedulerKind?)kind).FirstOrDefault();

    // Other diffusers schedulers (PNDM, DPM-Solver, ...) share the noise schedule; DDIM samples it faithfully.
    private static IDiffusionScheduler FallBackToDdim(SchedulerConfig config, IEngineLog log)
    {
        log.Warning($"Scheduler '{config.ClassName}' is not implemented; using DDIM with the same noise schedule. " +
            $"Implemented: {string.Join(", ", Supported)}.");
        return new DdimScheduler(config);
    }
}
