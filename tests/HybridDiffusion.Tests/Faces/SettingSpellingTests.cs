using System.CommandLine;
using HybridDiffusion.Cli;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.PowerShell;

namespace HybridDiffusion.Tests.Faces;

/// <summary>
/// Every setting the engine can blame an error on is named by each face in its own spelling: by an option of the CLI
/// verb and a parameter of the cmdlet that can cause it, so a renamed option or parameter cannot silently leave an
/// error without its name.
/// </summary>
public sealed class SettingSpellingTests : IDisposable
{
    private static readonly string[] Generating = { "new-image", "x0-trajectory", "slider-transfer" };
    private static readonly string[] GeneratingCmdlets = { "New-HybridImage", "Get-X0Trajectory", "Measure-SliderTransfer" };
    private static readonly string[] Embedding = { "diversity", "x0-trajectory" };
    private static readonly string[] None = Array.Empty<string>();

    // Which commands can report each setting: CLI verbs (space-separated paths under `hybrid`) and cmdlets.
    private static readonly (SettingId[] Settings, string[] Verbs, string[] Cmdlets)[] Causes =
    {
        (new[] { SettingId.Prompt, SettingId.Seed, SettingId.Count, SettingId.Steps, SettingId.BaseSteps, SettingId.Guidance, SettingId.BaseGuidance,
            SettingId.NoiseSource, SettingId.InitialLatents, SettingId.Plan, SettingId.Scheduler, SettingId.Width, SettingId.Height,
            SettingId.BatchSize, SettingId.MemoryMode, SettingId.Timeout, SettingId.Cads, SettingId.CadsTau1, SettingId.CadsTau2, SettingId.CadsScale,
            SettingId.CadsPsi, SettingId.ConditionNoise, SettingId.ConditionNoiseFraction, SettingId.GuidanceInterval }, Generating, GeneratingCmdlets),
        // The model options bench shares with the generating verbs.
        (new[] { SettingId.Mode, SettingId.Preset, SettingId.BaseModel, SettingId.DistilledModel, SettingId.ThreadCount },
            Generating.Append("bench").ToArray(), GeneratingCmdlets),
        // --slider's text on the command line; Add-ConceptSlider's parameters in PowerShell.
        (new[] { SettingId.Slider }, Generating, None),
        (new[] { SettingId.SliderStrength, SettingId.SliderStart }, Generating, new[] { "Add-ConceptSlider" }),
        (new[] { SettingId.OutputDirectory }, new[] { "new-image", "x0-trajectory", "study run", "study status" },
            new[] { "New-HybridImage", "Get-X0Trajectory", "Invoke-HybridStudy", "Get-HybridStudyStatus" }),
        (new[] { SettingId.Every }, new[] { "x0-trajectory" }, new[] { "Get-X0Trajectory", "New-HybridImage" }),
        (new[] { SettingId.Threshold }, new[] { "x0-trajectory" }, new[] { "Get-X0Trajectory" }),
        (new[] { SettingId.EmbeddingModel, SettingId.EmbeddingPreset, SettingId.EmbeddingSize, SettingId.EmbeddingCrop, SettingId.EmbeddingMean,
            SettingId.EmbeddingStd, SettingId.EmbeddingLayout }, Embedding, new[] { "Measure-SampleDiversity", "Get-X0Trajectory" }),
        (new[] { SettingId.EmbeddingBatchSize }, Embedding, None),
        (new[] { SettingId.Path }, new[] { "study merge" }, new[] { "Measure-HybridStudy" }),
        (new[] { SettingId.Path, SettingId.GroupBy, SettingId.MinimumDistance, SettingId.MinimumVendi, SettingId.ReferenceGroup,
            SettingId.PictureDirectory, SettingId.BootstrapResamples }, new[] { "diversity" }, new[] { "Measure-SampleDiversity" }),
        (new[] { SettingId.Metric, SettingId.Size }, new[] { "diversity", "bench diversity" }, new[] { "Measure-SampleDiversity" }),
        (new[] { SettingId.JUnit }, new[] { "diversity", "adherence" }, new[] { "Measure-SampleDiversity", "Measure-PromptAdherence" }),
        (new[] { SettingId.Reference, SettingId.SaveReference, SettingId.MaximumFid, SettingId.MaximumKid, SettingId.InceptionModel,
            SettingId.Directions },
            new[] { "diversity" }, new[] { "Measure-SampleDiversity" }),
        (new[] { SettingId.ClipImageModel, SettingId.ClipTextModel, SettingId.Demo, SettingId.PromptFromMetadata, SettingId.MinimumAdherence },
            new[] { "adherence" }, new[] { "Measure-PromptAdherence" }),
        (new[] { SettingId.Strength }, new[] { "slider-transfer" }, new[] { "Measure-SliderTransfer" }),
        (new[] { SettingId.Images }, new[] { "bench", "bench diversity" }, None),
        (new[] { SettingId.Study }, new[] { "study run", "study status" }, new[] { "Invoke-HybridStudy", "Get-HybridStudyStatus" }),
        (new[] { SettingId.Shard }, new[] { "study run" }, new[] { "Invoke-HybridStudy" }),
        (new[] { SettingId.ShardCount }, new[] { "study run", "study status" }, new[] { "Invoke-HybridStudy", "Get-HybridStudyStatus" }),
        (new[] { SettingId.Report, SettingId.Baseline, SettingId.MaxDrop }, new[] { "study merge" }, new[] { "Measure-HybridStudy" }),
    };

    // Settings no face takes: the faces always ask for 95% intervals; recorded noise is the parity check's; the demo
    // cache is set by an environment variable.
    private static readonly SettingId[] FaceLess = { SettingId.ConfidenceLevel, SettingId.RecordedNoise, SettingId.DemoCache };

    private readonly CmdletMetadata _cmdlets = new();

    public void Dispose() => _cmdlets.Dispose();

    [Fact]
    public void EverySettingHasACommandThatCausesItOrIsFaceLess()
    {
        var unaccounted = Enum.GetValues<SettingId>().Where(s => !Causes.Any(c => c.Settings.Contains(s)) && !FaceLess.Contains(s)).ToList();
        Assert.True(unaccounted.Count == 0, $"say which commands can report {string.Join(", ", unaccounted)}, or list it as face-less");
        Assert.All(FaceLess, s => Assert.Null(CliOptionNames.Spelling(s)));
        Assert.All(FaceLess, s => Assert.Null(ParameterNames.Spelling(s)));
    }

    [Fact]
    public void EachVerbHasTheOptionOfEverySettingItCanReport()
    {
        // Making an engine loads nothing; the verbs only need one to be declared.
        using var engine = new HybridEngine();
        var root = CliApp.Root(engine);
        var missing = Causes.SelectMany(c => c.Settings.SelectMany(setting => c.Verbs.Select(verb => (Setting: setting, Verb: verb))))
            .Where(x => CliOptionNames.Spelling(x.Setting) is string option && CliOptionNames.For(x.Setting, Verb(root, x.Verb)) != option)
            .Select(x => $"hybrid {x.Verb} has no {CliOptionNames.Spelling(x.Setting)} for {x.Setting}")
            .ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        // Only positional arguments, whose messages say what is missing, and face-less settings go without an option.
        Assert.Equal(new[] { SettingId.Prompt, SettingId.Path, SettingId.Study }.Concat(FaceLess).Order(),
            Enum.GetValues<SettingId>().Where(s => CliOptionNames.Spelling(s) is null).Order());
    }

    [Fact]
    public void EachCmdletHasTheParameterOfEverySettingItCanReport()
    {
        var parameters = _cmdlets.All().ToDictionary(c => CmdletMetadata.Name(c.Cmdlet), c => ModuleChecks.Parameters(c.Type).ToHashSet());
        var missing = Causes.SelectMany(c => c.Settings.SelectMany(setting => c.Cmdlets.Select(cmdlet => (Setting: setting, Cmdlet: cmdlet))))
            .Where(x => ParameterNames.Spelling(x.Setting) is not string parameter || !parameters[x.Cmdlet].Contains(parameter))
            .Select(x => $"{x.Cmdlet} has no -{ParameterNames.Spelling(x.Setting)} for {x.Setting}")
            .ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        // Every setting a cmdlet can report has a parameter name; the rest are the CLI's own options and the face-less.
        var withoutParameter = Enum.GetValues<SettingId>().Where(s => ParameterNames.Spelling(s) is null).ToList();
        Assert.All(withoutParameter, s => Assert.True(FaceLess.Contains(s) || Causes.Where(c => c.Settings.Contains(s)).All(c => c.Cmdlets.Length == 0),
            $"{s} is reported by a cmdlet"));
    }

    [Fact]
    public void ARenamedOptionOrParameterFailsTheCheck()
    {
        var verb = new Command("new-image") { new Option<int>("--step-count") };
        Assert.Null(CliOptionNames.For(SettingId.Steps, verb));
        Assert.NotNull(CliOptionNames.For(SettingId.Steps, new Command("new-image") { new Option<int>("--steps") }));
    }

    private static Command Verb(Command root, string path) =>
        path.Split(' ').Aggregate(root, (command, name) => command.Subcommands.Single(c => c.Name == name));
}
