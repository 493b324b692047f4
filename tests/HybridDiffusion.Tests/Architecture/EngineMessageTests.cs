using System.Text.RegularExpressions;

namespace HybridDiffusion.Tests.Architecture;

/// <summary>The engine speaks to both faces, so its messages use neither face's option syntax.</summary>
public sealed class EngineMessageTests
{
    [Fact]
    public void NoEngineStringNamesAPowerShellParameterOrCmdlet()
    {
        var root = Path.Combine(RepositoryRoot(), "src");
        // A string literal holding " -Name" (a PowerShell parameter) or Verb-HybridNoun (a cmdlet).
        var parameter = new Regex(@"""[^""\n]*(?<![\w-])-[A-Z][a-z]+[A-Za-z]*\b[^""\n]*""");
        var cmdlet = new Regex(@"""[^""\n]*\b(New|Get|Measure|Add|Clear)-[A-Z][A-Za-z]+[^""\n]*""");
        var engine = new[] { "HybridDiffusion.Contracts", "HybridDiffusion.Core", "HybridDiffusion.Analysis", "HybridDiffusion.Demo" };
        var found = engine.SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(l => !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Where(l => parameter.IsMatch(l.line) || cmdlet.IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(root, l.f)}:{l.i + 1}: {l.line.Trim()}")
            .ToList();
        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    private static string RepositoryRoot() => typeof(EngineMessageTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
}
