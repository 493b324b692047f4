using System.Reflection;
using System.Text.RegularExpressions;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests.Repository;

/// <summary>What users read first stays in step with the code.</summary>
public sealed class DocumentationTests
{
    private static string Root =>
        typeof(DocumentationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public void EveryMentionOfTheDemoCacheNamesTheCurrentVersion()
    {
        var files = new[] { "README.md" }.Select(f => Path.Combine(Root, f))
            .Concat(Directory.GetFiles(Path.Combine(Root, "module", "help"), "*.*", SearchOption.AllDirectories))
            .Concat(Directory.GetFiles(Path.Combine(Root, "examples"), "*.*").Where(f => f.EndsWith(".sh") || f.EndsWith(".ps1")));
        var mentions = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"demo-v(\d+)").Select(m => (File: Path.GetFileName(f), Version: int.Parse(m.Groups[1].Value)))).ToList();
        Assert.NotEmpty(mentions);
        Assert.All(mentions, m => Assert.True(m.Version == DemoModels.Version, $"{m.File} names demo-v{m.Version}; the demo pair is v{DemoModels.Version}"));
    }

    [Fact]
    public void TheArchitecturePageListsExactlyTheNamespacesOfTheCode()
    {
        var declared = Directory.GetFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"^namespace ([\w.]+);", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
            .ToHashSet();
        var page = File.ReadAllLines(Path.Combine(Root, "docs", "architecture.md"));
        var listed = page.Select(line => Regex.Match(line, @"^\| `(HybridDiffusion[\w.]*)` \|")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(declared.SetEquals(listed),
            $"docs/architecture.md's namespace table is out of step: missing {string.Join(", ", declared.Except(listed))}; gone {string.Join(", ", listed.Except(declared))}");
    }
}
