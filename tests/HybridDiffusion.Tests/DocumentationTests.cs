using System.Reflection;
using System.Text.RegularExpressions;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests;

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
}
