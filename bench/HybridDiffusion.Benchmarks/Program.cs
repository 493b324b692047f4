using BenchmarkDotNet.Running;
using HybridDiffusion.Benchmarks;

// `fixtures DIR [KIND...]` writes the sized fixture pairs; anything else goes to BenchmarkDotNet's switcher
// (e.g. `--filter '*Noise*'`, `--list flat`).
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
BenchmarkSwitcher.FromAssembly(typeof(BenchFixtures).Assembly).Run(args);
return 0;
