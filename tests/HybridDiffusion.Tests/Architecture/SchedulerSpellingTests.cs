using System.CommandLine;
using System.Text.RegularExpressions;
using HybridDiffusion.Cli;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Core.Scheduling;
using HybridDiffusion.PowerShell;

namespace HybridDiffusion.Tests.Architecture;

/// <summary>
/// Scheduler names are spelt once, by <see cref="SchedulerKinds"/>: the cmdlet's validation, the CLI's help and
/// completion, the engine's checks, the plan parser and the documentation all give the same list, so a scheduler added
/// to <see cref="SchedulerKind"/> (or a doc that lists one more) fails here until every place says the same.
/// </summary>
public sealed class SchedulerSpellingTests
{
    private static readonly string[] Expected = ["ddim", "lcm", "euler", "euler-ancestral"];

    [Fact]
    public void EachKindHasOneNameThatParsesBackInAnyCase()
    {
        Assert.Equal(Expected, SchedulerKinds.Names);
        foreach (var kind in Enum.GetValues<SchedulerKind>())
        {
            var name = SchedulerKinds.Name(kind);
            Assert.True(SchedulerKinds.TryParse(name.ToUpperInvariant(), out var parsed));
            Assert.Equal(kind, parsed);
        }
        foreach (var notAName in new[] { "EulerAncestral", "euler_ancestral", " ddim", "pndm", "", "0" })
        {
            Assert.False(SchedulerKinds.TryParse(notAName, out _), notAName);
        }
    }

    [Fact]
    public void EachKindMakesTheDiffusersSchedulerItNames()
    {
        var config = new SchedulerConfig { ClassName = "PNDMScheduler" };
        foreach (var kind in Enum.GetValues<SchedulerKind>())
        {
            var scheduler = SchedulerFactory.ByName($" {SchedulerKinds.Name(kind).ToUpperInvariant()} ", config, SettingId.Scheduler);
            Assert.Equal(SchedulerFactory.ClassName(kind), scheduler.Config.ClassName);
            Assert.Equal(SchedulerKinds.Name(kind), SchedulerFactory.ShortNameOf(scheduler));
        }
    }

    // The test process has no PowerShell runtime, so this reads the attributes; Completion.Tests.ps1 runs them in pwsh.
    [Fact]
    public void TheCmdletValidatesAndCompletesWithTheNamesOfTheList()
    {
        using var cmdlets = new CmdletMetadata();
        var scheduler = cmdlets.Cmdlets.GetType(typeof(GenerationCmdlet).FullName!)!.GetProperty(nameof(GenerationCmdlet.Scheduler))!;
        var attributes = scheduler.GetCustomAttributesData();
        Assert.Contains(attributes, a => a.AttributeType.Name == nameof(ValidateSchedulerNameAttribute));
        Assert.Contains(attributes, a => a.AttributeType.Name == "ArgumentCompleterAttribute"
            && ((Type)a.ConstructorArguments[0].Value!).Name == nameof(SchedulerCompleter));
        Assert.DoesNotContain(attributes, a => a.AttributeType.Name == "ValidateSetAttribute");
    }

    [Fact]
    public void TheCliHelpAndCompletionGiveTheNames()
    {
        using var engine = new HybridEngine();
        var verb = CliApp.Root(engine).Subcommands.Single(c => c.Name == "new-image");
        var option = verb.Options.Single(o => o.Name == "--scheduler");
        Assert.EndsWith(": ddim, lcm, euler or euler-ancestral.", option.Description);
        var completions = CliApp.Root(engine).Parse("new-image --scheduler ").GetCompletions().Select(c => c.Label);
        Assert.Equal(Expected.Order(), completions.Order());
    }

    [Fact]
    public void TheEngineAndThePlanParserRefuseAnotherNameListingTheNames()
    {
        var request = new GenerationRequest { Prompts = ["a red circle"], Settings = new GenerationSettings { Scheduler = "pndm" } };
        var refused = Assert.Throws<HybridDiffusionException>(() => GenerationChecks.Validate(request));
        Assert.Equal(SettingId.Scheduler, refused.Setting);
        Assert.Contains("use ddim, lcm, euler, euler-ancestral.", refused.Message);

        var plan = Assert.Throws<HybridDiffusionException>(() => PlanParser.Parse("base[pndm]:999;distilled:749"));
        Assert.Contains("use ddim, lcm, euler, euler-ancestral", plan.Message);
        Assert.Equal("Euler-Ancestral", PlanParser.Parse("base[Euler-Ancestral]:999;distilled:749")[0].Scheduler);
    }

    [Fact]
    public void TheDocumentationListsTheNames()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var cliList = Regex.Match(readme, @"`--scheduler` \(([^:)]*):").Groups[1].Value;
        Assert.Equal(Expected, cliList.Split(", ").Select(name => name.Trim('`')));

        var help = File.ReadAllText(Path.Combine(RepositoryRoot(), "module", "help", "Shared-Parameters.md"));
        var schedulerSection = Regex.Match(help, @"### -Scheduler\s+[^(]*\(([^)]*)\)").Groups[1].Value;
        Assert.Equal(SchedulerKinds.Alternatives, schedulerSection);
        var planList = Regex.Match(help, @"'model\[scheduler\]'\s+with\s+(.*?), for example").Groups[1].Value;
        Assert.Equal(SchedulerKinds.Alternatives, Regex.Replace(planList, @"\s+", " "));
    }

    private static string RepositoryRoot() => CmdletMetadata.Metadata("RepositoryRoot");
}
