using BenchmarkDotNet.Running;
using HybridDiffusion.Benchmarks;

// `fixtures DIR [KIND...]` writes the sized fixture pairs; `study-records DIR PROMPTS SEEDS` and `study-merge DIR` time a
// study merge of synthetic records (see StudyMergeBench); `fid [COUNT] [DIMENSION]` streams two feature sets and times
// their FID once (see FrechetBenchmarks); anything else goes to BenchmarkDotNet's switcher (e.g. `--filter '*Noise*'`, `--list flat`).
if (args is ["fixtures", var root, .. var kinds])
{
    foreach (var (name, _, _, purpose) in BenchFixtures.Kinds.Where(k => kinds.Length == 0 || kinds.Contains(k.Name)))
    {
        var (baseFolder, distilled) = BenchFixtures.Write(Path.GetFullPath(root), name);
        Console.WriteLine($"{name}: {purpose}");
        Console.WriteLine($"  hybrid bench --base-model {baseFolder} --distilled-model {distilled} --preset Dmd2");
    }
    return 0;
}
if (args is ["study-merge", var merged])
{
    StudyMergeBench.Merge(Path.GetFullPath(merged));
    return 0;
}
if (args is ["study-records", var folder, var promptCount, var seedCount])
{
    StudyMergeBench.WriteRecords(Path.GetFullPath(folder), int.Parse(promptCount, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(seedCount, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}
if (args is ["fid", .. var sizes])
{
    FrechetBenchmarks.RunOnce(sizes.Length > 0 ? int.Parse(sizes[0], System.Globalization.CultureInfo.InvariantCulture) : 50_000,
        sizes.Length > 1 ? int.Parse(sizes[1], System.Globalization.CultureInfo.InvariantCulture) : 2048);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(BenchFixtures).Assembly).Run(args);
return 0;
