using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>Distilled-family presets and the -Scheduler override, through the whole generator on the demo pair.</summary>
public sealed class PresetTests
{
    [Theory]
    [InlineData(DistilledPreset.Dmd2, "LCM", "base:999;distilled:749,499,249")]
    [InlineData(DistilledPreset.Turbo, "EulerAncestral", "base:999;distilled:749,499,249")]
    [InlineData(DistilledPreset.Lightning, "Euler", "base:999;distilled:749,499,249")]
    [InlineData(DistilledPreset.Lcm, "LCM", "base:999;distilled:759,499,259")]
    public void PresetsSetTheDistilledSchedulerAndItsTimesteps(DistilledPreset preset, string scheduler, string hybridPlan)
    {
        var settings = new GenerationSettings { Preset = preset };
        var images = TestEngine.Shared.Generate(DemoPair.Request("a photo", GenerationMode.Hybrid, new long[] { 3 }, settings) with
        {
            Modes = new[] { GenerationMode.Hybrid, GenerationMode.Distilled, GenerationMode.SkipFirst, GenerationMode.Base },
        }).ToList();
        var hybrid = images.Single(i => i.Mode == GenerationMode.Hybrid);
        Assert.Equal(hybridPlan, hybrid.Plan);
        Assert.Equal(scheduler, hybrid.Scheduler);
        // Base mode keeps the base model's own scheduler; every image is a real picture, not noise or a flat field.
        Assert.Equal("DDIM", images.Single(i => i.Mode == GenerationMode.Base).Scheduler);
        Assert.All(images, i => Assert.True(i.Image.Pixels.Distinct().Count() > 8, $"{i.Mode} looks empty"));
    }

    [Fact]
    public void TheSchedulerOverrideReplacesEveryModelsSchedulerClass()
    {
        var settings = new GenerationSettings { Scheduler = "euler", Preset = DistilledPreset.Dmd2, Steps = 8 };
        var images = TestEngine.Shared.Generate(DemoPair.Request("a photo", GenerationMode.Base, new long[] { 1 }, settings) with
        {
            Modes = new[] { GenerationMode.Base, GenerationMode.Hybrid },
        }).ToList();
        Assert.All(images, i => Assert.Equal("Euler", i.Scheduler));
        Assert.Equal(8, images[1].Steps);
    }

    [Fact]
    public void FixedTimestepsAndUnknownSchedulersAreClearErrors()
    {
        var steps = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(
            DemoPair.Request("a photo", GenerationMode.Distilled, new long[] { 1 }, new GenerationSettings { Preset = DistilledPreset.Dmd2, Steps = 6 })).ToList());
        Assert.Contains("fixed timesteps 999, 749, 499, 249, so Steps must be 4", steps.Message);
        var unknown = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(
            DemoPair.Request("a photo", GenerationMode.Distilled, new long[] { 1 }, new GenerationSettings { Scheduler = "heun" })));
        Assert.Equal(SettingId.Scheduler, unknown.Setting);
        Assert.Contains("euler-ancestral", unknown.Message);
    }

    [Fact]
    public void PresetConfigsFollowTheReferenceSettings()
    {
        var config = new SchedulerConfig { ClassName = "DDIMScheduler", TimestepSpacing = "leading" };
        Assert.Equal(new[] { 999, 749, 499, 249 }, Presets.Apply(config, DistilledPreset.Dmd2).CustomTimesteps);
        Assert.Equal(("EulerAncestralDiscreteScheduler", "trailing"), (Presets.Apply(config, DistilledPreset.Turbo).ClassName, Presets.Apply(config, DistilledPreset.Turbo).TimestepSpacing));
        Assert.Equal(("EulerDiscreteScheduler", "trailing"), (Presets.Apply(config, DistilledPreset.Lightning).ClassName, Presets.Apply(config, DistilledPreset.Lightning).TimestepSpacing));
        Assert.Null(Presets.Apply(Presets.Apply(config, DistilledPreset.Dmd2), DistilledPreset.Lcm).CustomTimesteps);
    }
}
