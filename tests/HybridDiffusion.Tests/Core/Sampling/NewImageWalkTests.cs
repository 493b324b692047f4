using System.Reflection;
using System.Text.RegularExpressions;

namespace HybridDiffusion.Tests.Core.Sampling;

/// <summary>
/// docs/architecture.md walks one `hybrid new-image` call file by file; these keep the walk from rotting as code moves:
/// every file it names exists, it stops at no more than 12 files, and each stop is reached from a stop above it.
/// </summary>
public sealed class NewImageWalkTests
{
    private const string Section = "## One new-image call, file by file";

    private static string Root =>
        typeof(NewImageWalkTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private static IReadOnlyList<string> WalkLines()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "docs", "architecture.md"));
        int start = Array.IndexOf(lines, Section);
        Assert.True(start >= 0, $"docs/architecture.md has no section '{Section}'");
        return lines.Skip(start + 1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The numbered stops, in order: the file each begins with.</summary>
    private static IReadOnlyList<string> Stops() => WalkLines()
        .Select(line => Regex.Match(line, @"^(\d+)\. `([^`]+)`"))
        .Where(m => m.Success)
        .Select(m => m.Groups[2].Value)
        .ToList();

    [Fact]
    public void EveryFileTheWalkNamesExists()
    {
        var named = WalkLines().SelectMany(line => Regex.Matches(line, @"`((?:src|tests)/[^`]+)`").Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.True(named.Count >= Stops().Count, "the walk names no files");
        var missing = named.Where(path => !File.Exists(Path.Combine(Root, path)) && !Directory.Exists(Path.Combine(Root, path))).ToList();
        Assert.True(missing.Count == 0, $"docs/architecture.md's walk names files that are gone: {string.Join(", ", missing)}");
    }

    [Fact]
    public void TheWalkStopsAtNoMoreThanTwelveFilesNumberedInOrder()
    {
        var numbers = WalkLines().Select(line => Regex.Match(line, @"^(\d+)\. ")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
        Assert.Equal(numbers.Count, Stops().Count);
        Assert.InRange(Stops().Count, 2, 12);
        Assert.All(Stops(), stop => Assert.EndsWith(".cs", stop));
    }

    [Fact]
    public void EachStopIsCalledFromAStopAboveIt()
    {
        var stops = Stops();
        for (int i = 1; i < stops.Count; i++)
        {
            var type = Path.GetFileNameWithoutExtension(stops[i]);
            var callers = stops.Take(i).Where(above => Regex.IsMatch(File.ReadAllText(Path.Combine(Root, above)), $@"\b{type}\b")).ToList();
            Assert.True(callers.Count > 0, $"stop {i + 1} ({stops[i]}) is not used by any stop above it, so the walk no longer reads top to bottom");
        }
    }
}
