namespace HybridDiffusion.Core.Scheduling;

/// <summary>Turns a distilled family's preset into its scheduler config (REFERENCE.md §2 settings).</summary>
internal static class Presets
{
    public static SchedulerConfig Apply(SchedulerConfig config, DistilledPreset preset) => preset switch
    {
        DistilledPreset.Dmd2 => config with { ClassName = "LCMScheduler", CustomTimesteps = new[] { 999, 749, 499, 249 } },
        DistilledPreset.Turbo => config with { ClassName = "EulerAncestralDiscreteScheduler", TimestepSpacing = "trailing", CustomTimesteps = null },
        DistilledPreset.Lightning => config with { ClassName = "EulerDiscreteScheduler", TimestepSpacing = "trailing", CustomTimesteps = null },
        DistilledPreset.Lcm => config with { ClassName = "LCMScheduler", CustomTimesteps = null },
        _ => throw HybridDiffusionException.Argument(SettingId.Preset, $"Unknown preset {preset}; use Dmd2, Turbo, Lightning or Lcm."),
    };
}
