using System.Text.RegularExpressions;

namespace HybridDiffusion.Tests.Repository;

/// <summary>What a newcomer opens first: the licence the packages declare, and a README that lists its own sections.</summary>
public sealed class RepositoryFrontPageTests
{
    private static string Root => CmdletMetadata.Metadata("RepositoryRoot");

    [Fact]
    public void TheLicenseFileIsTheMitLicenseThatTheManifestAndPackagesDeclare()
    {
        var license = File.ReadAllText(Path.Combine(Root, "LICENSE"));
        Assert.StartsWith("MIT License", license);
        Assert.Contains("Permission is hereby granted, free of charge", license);
        Assert.Contains("HybridDiffusion contributors", license);
        Assert.Contains("MIT License", File.ReadAllText(Path.Combine(Root, "HybridDiffusion.psd1")));
        Assert.Contains("<license type=\"expression\">MIT</license>", File.ReadAllText(Path.Combine(Root, "module", "HybridDiffusion.nuspec")));
        Assert.Contains("<PackageLicenseExpression>MIT</PackageLicenseExpression>", File.ReadAllText(Path.Combine(Root, "src", "HybridDiffusion.Cli", "HybridDiffusion.Cli.csproj")));
    }

    [Fact]
    public void TheReadmeOpensWithContentsThatLinkEverySection()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "README.md"));
        int contents = Array.IndexOf(lines, "## Contents");
        Assert.True(contents > 0 && lines.Take(contents).Count(l => l.StartsWith("## ", StringComparison.Ordinal)) == 0, "## Contents is the first section");
        var listed = lines.Skip(contents + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => Regex.Match(l, @"^\s*- \[(.+)\]\(#([^)]+)\)$")).Where(m => m.Success)
            .Select(m => (Title: m.Groups[1].Value, Anchor: m.Groups[2].Value)).ToList();
        var sections = new List<string>();
        bool inCode = false;
        foreach (var line in lines.Skip(contents + 1))
        {
            inCode ^= line.StartsWith("```", StringComparison.Ordinal);
            if (!inCode && Regex.Match(line, "^###? (.+)$") is { Success: true } heading)
            {
                sections.Add(heading.Groups[1].Value);
            }
        }
        Assert.Equal(sections, listed.Select(l => l.Title));
        // GitHub's anchors: lower case, punctuation dropped, spaces as hyphens.
        Assert.All(listed, l => Assert.Equal(Regex.Replace(l.Title.ToLowerInvariant(), @"[^\w\- ]", "").Replace(' ', '-'), l.Anchor));
    }

    [Fact]
    public void TheManifestAtTheRootSaysItIsABuildInputAndWhatToImport()
    {
        var header = string.Join("\n", File.ReadLines(Path.Combine(Root, "HybridDiffusion.psd1")).TakeWhile(l => l.StartsWith('#')));
        Assert.Contains("build input", header);
        Assert.Contains("artifacts/module/HybridDiffusion", header);
        Assert.Contains("dotnet build src/HybridDiffusion.PowerShell -c Release", header);
    }
}
