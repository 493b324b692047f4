using System.Reflection;

namespace HybridDiffusion.Tests.Faces.PowerShell;

/// <summary>
/// No PowerShell runtime exists here, so the cmdlet assembly is inspected as metadata (MetadataLoadContext):
/// attributes and the manifest must agree with what PowerShell would load.
/// </summary>
public sealed class CmdletStaticTests : IDisposable
{
    private readonly CmdletMetadata _metadata = new();
    private readonly MetadataLoadContext _context;
    private readonly Assembly _cmdlets;

    public CmdletStaticTests()
    {
        _context = _metadata.Context;
        _cmdlets = _metadata.Cmdlets;
    }

    public void Dispose() => _metadata.Dispose();

    private static readonly HashSet<string> LongRunning = new()
    {
        "NewHybridImageCommand", "GetX0TrajectoryCommand", "MeasureSampleDiversityCommand",
    };

    private IEnumerable<(Type Type, CustomAttributeData Cmdlet)> Cmdlets() => _metadata.All();

    [Fact]
    public void EveryCmdletUsesAnApprovedVerbASingularNounAndDeclaresItsOutput()
    {
        Assert.NotEmpty(Cmdlets());
        Assert.Empty(ModuleChecks.CmdletProblems(_cmdlets.GetTypes(), ApprovedVerbs()));
        foreach (var (type, _) in Cmdlets())
        {
            Assert.True(Ancestors(type).Any(t => t.Name == "PSCmdlet"), $"{type.Name} should derive from PSCmdlet");
            // Long work must stop on Ctrl+C: StopProcessing is overridden in this assembly, not inherited from PowerShell.
            if (LongRunning.Contains(type.Name))
            {
                var stop = type.GetMethod("StopProcessing", BindingFlags.Instance | BindingFlags.NonPublic);
                Assert.True(stop?.DeclaringType?.Assembly == _cmdlets, $"{type.Name} should override StopProcessing");
            }
        }
    }

    [Fact]
    public void TheCmdletRulesCatchABrokenCmdlet()
    {
        var broken = _context.LoadFromAssemblyPath(typeof(BrokenCmdlet).Assembly.Location).GetType(typeof(BrokenCmdlet).FullName!)!;
        var problems = ModuleChecks.CmdletProblems(new[] { broken }, ApprovedVerbs()).ToList();
        Assert.Contains("Frobnicate-Widgets: 'Frobnicate' is not an approved verb (Get-Verb).", problems);
        Assert.Contains("Frobnicate-Widgets: the noun should be singular.", problems);
        Assert.Contains("Frobnicate-Widgets: no [OutputType].", problems);
    }

    [Fact]
    public void TheManifestAndHelpRulesCatchAMissingCmdlet()
    {
        var manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "HybridDiffusion.psd1"));
        var declared = Cmdlets().Select(c => Name(c.Cmdlet)).ToList();
        Assert.Contains("The manifest's CmdletsToExport lacks Frobnicate-Widget, which the assembly declares.",
            ModuleChecks.ManifestProblems(manifest, declared.Append("Frobnicate-Widget")));
        Assert.Contains("The manifest's CmdletsToExport lists Get-HybridSession, which the assembly does not declare.",
            ModuleChecks.ManifestProblems(manifest, declared.Where(d => d != "Get-HybridSession")));

        var help = System.Xml.Linq.XDocument.Load(Path.Combine(HelpFolder, "HybridDiffusion.PowerShell.dll-Help.xml"));
        var problems = ModuleChecks.HelpProblems(help, new[] { ("Frobnicate-Widget", (IEnumerable<string>)new[] { "Name" }),
            ("New-HybridImage", new[] { "Prompt", "Sharpness" }) }).ToList();
        Assert.Contains("Frobnicate-Widget has no help.", problems);
        Assert.Contains("New-HybridImage -Sharpness has no help.", problems);
        Assert.DoesNotContain("New-HybridImage -Prompt has no help.", problems);
    }

    [Fact]
    public void EveryCmdletAndParameterHasHelp()
    {
        var help = System.Xml.Linq.XDocument.Load(Path.Combine(HelpFolder, "HybridDiffusion.PowerShell.dll-Help.xml"));
        Assert.Empty(ModuleChecks.HelpProblems(help, Cmdlets().Select(c => (Name(c.Cmdlet), ModuleChecks.Parameters(c.Type)))));
    }

    [Fact]
    public void NewHybridImageWritesFilesOnlyThroughShouldProcessAndTakesPromptsFromThePipeline()
    {
        var (type, cmdlet) = Cmdlets().Single(c => CmdletMetadata.Name(c.Cmdlet) == "New-HybridImage");
        Assert.Contains(cmdlet.NamedArguments, a => a.MemberName == "SupportsShouldProcess" && (bool)a.TypedValue.Value!);
        var prompt = type.GetProperty("Prompt")!.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ParameterAttribute");
        Assert.Contains(prompt.NamedArguments, a => a.MemberName == "ValueFromPipeline" && (bool)a.TypedValue.Value!);
        Assert.Contains(prompt.NamedArguments, a => a.MemberName == "Mandatory" && (bool)a.TypedValue.Value!);
        var seed = type.GetProperty("Seed")!.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ParameterAttribute");
        Assert.Contains(seed.NamedArguments, a => a.MemberName == "ValueFromPipelineByPropertyName" && (bool)a.TypedValue.Value!);
    }

    [Fact]
    public void ManifestExportsExactlyTheAssemblysCmdlets()
    {
        var manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "HybridDiffusion.psd1"));
        Assert.Empty(ModuleChecks.ManifestProblems(manifest, Cmdlets().Select(c => Name(c.Cmdlet))));
        Assert.Matches(@"RootModule\s*=\s*'HybridDiffusion\.PowerShell\.dll'", manifest);
        Assert.Matches(@"PowerShellVersion\s*=\s*'7\.4'", manifest);
        Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Core'\)", manifest);
    }

    [Fact]
    public void MeasureSampleDiversityTakesImagesFilesAndPathsFromThePipeline()
    {
        var (type, cmdlet) = Cmdlets().Single(c => (string)c.Cmdlet.ConstructorArguments[1].Value! == "SampleDiversity");
        Assert.Equal("Measure", cmdlet.ConstructorArguments[0].Value);
        Assert.Contains(cmdlet.NamedArguments, a => a.MemberName == "DefaultParameterSetName" && (string)a.TypedValue.Value! == "InputObject");
        Assert.Contains(cmdlet.NamedArguments, a => a.MemberName == "SupportsShouldProcess" && (bool)a.TypedValue.Value!);
        CustomAttributeData Parameter(string name) =>
            type.GetProperty(name)!.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ParameterAttribute");
        object? Named(CustomAttributeData a, string member) => a.NamedArguments.SingleOrDefault(n => n.MemberName == member).TypedValue.Value;
        Assert.Equal(true, Named(Parameter("InputObject"), "ValueFromPipeline"));
        Assert.Equal("Path", Named(Parameter("Path"), "ParameterSetName"));
        Assert.Equal("LiteralPath", Named(Parameter("LiteralPath"), "ParameterSetName"));
        Assert.Contains(type.GetProperty("Path")!.GetCustomAttributesData(), a => a.AttributeType.Name == "SupportsWildcardsAttribute");
        var alias = type.GetProperty("LiteralPath")!.GetCustomAttributesData().Single(a => a.AttributeType.Name == "AliasAttribute");
        Assert.Contains("PSPath", ((IEnumerable<CustomAttributeTypedArgument>)alias.ConstructorArguments[0].Value!).Select(v => (string)v.Value!));
        // The gate and the options are optional: a bare `... | Measure-SampleDiversity` must work.
        foreach (var optional in new[] { "MinimumDistance", "MinimumVendi", "GroupBy", "ReferenceGroup", "PictureDirectory", "EmbeddingModel" })
        {
            Assert.Null(Named(Parameter(optional), "Mandatory"));
        }
    }

    [Fact]
    public void TrajectoriesComeFromGetX0TrajectoryAndOnRequestFromNewHybridImage()
    {
        var (type, cmdlet) = Cmdlets().Single(c => (string)c.Cmdlet.ConstructorArguments[1].Value! == "X0Trajectory");
        Assert.Equal("Get", cmdlet.ConstructorArguments[0].Value);
        var outputs = type.GetCustomAttributesData().Single(a => a.AttributeType.Name == "OutputTypeAttribute").ConstructorArguments
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.Value!).Select(v => ((Type)v.Value!).Name).ToList();
        Assert.Equal(new[] { "TrajectoryStep", "TrajectorySummary" }, outputs);
        foreach (var name in new[] { "Every", "Threshold", "OutputDirectory", "EmbeddingModel", "Summary", "Prompt", "Seed", "Mode" })
        {
            Assert.True(type.GetProperty(name) is not null, $"Get-X0Trajectory should have -{name}");
        }
        var newImage = Cmdlets().Single(c => CmdletMetadata.Name(c.Cmdlet) == "New-HybridImage").Type;
        Assert.Equal("SwitchParameter", newImage.GetProperty("IncludeTrajectory")!.PropertyType.Name);
        Assert.NotNull(newImage.GetProperty("Every"));
    }

    [Fact]
    public void SessionCmdletsListAndReleaseWithConfirmation()
    {
        var (get, _) = Cmdlets().Single(c => (string)c.Cmdlet.ConstructorArguments[1].Value! == "HybridSession" && (string)c.Cmdlet.ConstructorArguments[0].Value! == "Get");
        var (clear, clearAttribute) = Cmdlets().Single(c => (string)c.Cmdlet.ConstructorArguments[1].Value! == "HybridSession" && (string)c.Cmdlet.ConstructorArguments[0].Value! == "Clear");
        Assert.Contains(clearAttribute.NamedArguments, a => a.MemberName == "SupportsShouldProcess" && (bool)a.TypedValue.Value!);
        Assert.Contains(clearAttribute.NamedArguments, a => a.MemberName == "ConfirmImpact");
        foreach (var type in new[] { get, clear })
        {
            Assert.Contains(type.GetProperty("ModelPath")!.GetCustomAttributesData(), a => a.AttributeType.Name == "SupportsWildcardsAttribute");
        }
        Assert.Equal("SwitchParameter", clear.GetProperty("PassThru")!.PropertyType.Name);
    }

    [Fact]
    public void EveryGeneratingCmdletTakesBatchSizeMemoryModeAndThreadCount()
    {
        foreach (var name in new[] { "NewHybridImageCommand", "GetX0TrajectoryCommand", "MeasureSliderTransferCommand" })
        {
            var type = _cmdlets.GetType("HybridDiffusion.PowerShell." + name)!;
            var batch = type.GetProperty("BatchSize")!;
            Assert.Contains(batch.GetCustomAttributesData(), a => a.AttributeType.Name == "ParameterAttribute");
            var range = batch.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ValidateRangeAttribute");
            Assert.Equal(new object[] { 1, 256 }, range.ConstructorArguments.Select(a => a.Value));
            Assert.Equal("HybridDiffusion.Contracts.Sampling.MemoryMode", type.GetProperty("MemoryMode")!.PropertyType.FullName);
            // The enum comes from the contracts, so PowerShell resolves and completes it outside the isolated engine.
            Assert.Equal("HybridDiffusion.Contracts", type.GetProperty("MemoryMode")!.PropertyType.Assembly.GetName().Name);
            var threads = type.GetProperty("ThreadCount")!.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ValidateRangeAttribute");
            Assert.Equal(new object[] { 0, 1024 }, threads.ConstructorArguments.Select(a => a.Value));
        }
    }

    [Fact]
    public void ModelParametersCompleteModelFolders()
    {
        foreach (var (type, parameter) in new[] { ("NewHybridImageCommand", "BaseModel"), ("NewHybridImageCommand", "DistilledModel"),
            ("GetX0TrajectoryCommand", "EmbeddingModel"), ("MeasureSampleDiversityCommand", "EmbeddingModel") })
        {
            var completer = _cmdlets.GetType("HybridDiffusion.PowerShell." + type)!.GetProperty(parameter)!.GetCustomAttributesData()
                .Single(a => a.AttributeType.Name == "ArgumentCompleterAttribute");
            Assert.Equal("ModelPathCompleter", ((Type)completer.ConstructorArguments[0].Value!).Name);
        }
    }

    [Fact]
    public void FormatViewsNameRealPropertiesAndTheManifestLoadsThem()
    {
        var manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "HybridDiffusion.psd1"));
        var formats = ModuleChecks.ManifestList(manifest, "FormatsToProcess");
        Assert.NotEmpty(formats);
        foreach (var file in formats)
        {
            Assert.Empty(ModuleChecks.FormatProblems(System.Xml.Linq.XDocument.Load(Path.Combine(AppContext.BaseDirectory, file)), ResolveType));
        }
    }

    [Fact]
    public void TypeExtensionsNameRealTypesAndMembers()
    {
        var manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "HybridDiffusion.psd1"));
        var files = ModuleChecks.ManifestList(manifest, "TypesToProcess");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var types = System.Xml.Linq.XDocument.Load(Path.Combine(AppContext.BaseDirectory, file));
            Assert.Empty(ModuleChecks.TypeProblems(types, ResolveType));
            types.Descendants("ReferencedMemberName").First().Value = "Average";
            Assert.Contains(ModuleChecks.TypeProblems(types, ResolveType), p => p.Contains("aliases Average, which does not exist"));
        }
    }

    [Fact]
    public void TheFormatRuleCatchesAViewOfAMissingProperty()
    {
        var format = System.Xml.Linq.XDocument.Load(Path.Combine(AppContext.BaseDirectory, "HybridDiffusion.Format.ps1xml"));
        format.Descendants("PropertyName").First(p => p.Value == "Vendi").Value = "VendiScore";
        Assert.Contains("View 'HybridDiffusion.DiversityReport' shows HybridDiffusion.Contracts.Diversity.DiversityReport.VendiScore, which does not exist.",
            ModuleChecks.FormatProblems(format, ResolveType));
    }

    // Views and type extensions apply to what PowerShell sees: the contracts and the cmdlet assembly.
    private Type? ResolveType(string name) =>
        _context.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "HybridDiffusion.Contracts.dll")).GetType(name) ?? _cmdlets.GetType(name);

    private static string HelpFolder => Path.Combine(CmdletMetadata.Metadata("ModuleDirectory"), "en-US");

    private static string Name(CustomAttributeData cmdlet) => CmdletMetadata.Name(cmdlet);

    private ISet<string> ApprovedVerbs() => _context.LoadFromAssemblyName("System.Management.Automation").GetTypes()
        .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
        .SelectMany(t => t.GetFields()).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();

    [Fact]
    public void TypesShownToPowerShellComeFromTheCmdletsOrTheContractsNotTheIsolatedEngine()
    {
        static Type Element(Type t) => t.IsArray ? Element(t.GetElementType()!) : Nullable.GetUnderlyingType(t) ?? t;
        var shown = Cmdlets().SelectMany(c => c.Type.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute")
                .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (Type)v.Value!)
                .Concat(c.Type.GetProperties().Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType.Name == "ParameterAttribute")).Select(p => p.PropertyType)))
            .Select(Element).Distinct().ToList();
        Assert.Contains(shown, t => t.Assembly.GetName().Name == "HybridDiffusion.Contracts");
        Assert.All(shown, t => Assert.Contains(t.Assembly.GetName().Name, new[] { "System.Private.CoreLib", "System.Management.Automation", "HybridDiffusion.Contracts", "HybridDiffusion.PowerShell" }));
    }

    [Theory]
    [InlineData("HybridDiffusion.Contracts")]
    [InlineData("HybridDiffusion.Core")]
    [InlineData("HybridDiffusion.Analysis")]
    [InlineData("HybridDiffusion.Demo")]
    public void EngineHasNoPowerShellDependency(string assembly)
    {
        var engine = _context.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));
        Assert.DoesNotContain(engine.GetReferencedAssemblies(), a => a.Name == "System.Management.Automation");
    }

    private static IEnumerable<Type> Ancestors(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            yield return t;
        }
    }
}
