using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HybridDiffusion.Tests.Faces.PowerShell;

/// <summary>The built module's MAML help: complete for every cmdlet and parameter, and in step with the README.</summary>
public sealed class HelpTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static string Metadata(string key) =>
        typeof(HelpTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string ModuleDirectory => Metadata("ModuleDirectory");

    private static XDocument Help => XDocument.Load(Path.Combine(ModuleDirectory, "en-US", "HybridDiffusion.PowerShell.dll-Help.xml"));

    [Fact]
    public void TheHelpCarriesHowEachParameterBindsAndTheAboutTopicShips()
    {
        var commands = Help.Root!.Elements(Command + "command").ToDictionary(c => c.Element(Command + "details")!.Element(Command + "name")!.Value);
        var prompt = commands["New-HybridImage"].Element(Command + "parameters")!.Elements(Command + "parameter")
            .Single(p => p.Element(Maml + "name")!.Value == "Prompt");
        Assert.Equal("true", (string)prompt.Attribute("required")!);
        Assert.Equal("0", (string)prompt.Attribute("position")!);
        Assert.Equal("True (ByValue, ByPropertyName)", (string)prompt.Attribute("pipelineInput")!);
        var path = commands["Measure-SampleDiversity"].Element(Command + "parameters")!.Elements(Command + "parameter")
            .Single(p => p.Element(Maml + "name")!.Value == "Path");
        Assert.Equal("true", (string)path.Attribute("globbing")!);
        // One syntax block per parameter set, the default set first.
        var syntax = commands["Measure-SampleDiversity"].Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(3, syntax.Count);
        Assert.Contains(syntax[0].Elements(Command + "parameter"), p => p.Element(Maml + "name")!.Value == "InputObject");
        Assert.Contains("GeneratedImage", commands["New-HybridImage"].Element(Command + "returnValues")!.Value);
        Assert.True(File.Exists(Path.Combine(ModuleDirectory, "en-US", "about_HybridDiffusion.help.txt")));
    }

    [Fact]
    public void TheReadmesPowerShellExamplesAreTheHelpsExamples()
    {
        var readme = File.ReadAllText(Path.Combine(Metadata("RepositoryRoot"), "README.md"));
        var examples = Help.Descendants(Dev + "code").Select(c => c.Value.Replace("\r", "")).ToList();
        var readmeCommands = Regex.Matches(readme, "```powershell\\n(.*?)```", RegexOptions.Singleline)
            .SelectMany(m => Regex.Split(m.Groups[1].Value.Trim(), @"\n(?=\S)"))
            .Where(c => Regex.IsMatch(c, @"\b(New-HybridImage|Get-X0Trajectory|Measure-SampleDiversity|Get-HybridSession|Clear-HybridSession)\b"))
            .ToList();
        Assert.NotEmpty(readmeCommands);
        foreach (var command in readmeCommands)
        {
            Assert.True(examples.Any(e => e.Contains(command.Trim(), StringComparison.Ordinal)), $"README example not in the help: {command}");
        }
    }

    [Fact]
    public void TheHelpBuildFailsWhenAParameterIsUndocumented()
    {
        using var docs = new TempFolder();
        var source = Path.Combine(Metadata("RepositoryRoot"), "module", "help");
        foreach (var file in Directory.GetFiles(source, "*.md"))
        {
            var text = File.ReadAllText(file);
            // Drop -PassThru's description from Clear-HybridSession's help.
            if (Path.GetFileName(file) == "Clear-HybridSession.md")
            {
                text = Regex.Replace(text, @"### -PassThru\n.*?\n\n", "", RegexOptions.Singleline);
            }
            File.WriteAllText(Path.Combine(docs.Path, Path.GetFileName(file)), text);
        }
        var automation = Directory.GetFiles(Metadata("PowerShellStandardDir"), "System.Management.Automation.dll", SearchOption.AllDirectories).First();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Metadata("HelpGenPath"), Path.Combine(ModuleDirectory, "HybridDiffusion.PowerShell.dll"), automation, docs.Path, docs["out.xml"] },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Clear-HybridSession: parameter -PassThru is not described", errors);
        Assert.False(File.Exists(docs["out.xml"]));
    }
}
