using System.Text.Json.Nodes;
using HybridDiffusion.Contracts;
using HybridDiffusion.Demo;
using HybridDiffusion.Tests.Core.Output;

namespace HybridDiffusion.Tests.Demo;

/// <summary>
/// The demo pair's cache under the user's home: written once however many threads find it missing, swept after a
/// killed write, rewritten when damaged, read without its lock when sound, and a clear error where it cannot be written.
/// </summary>
public sealed class DemoCacheTests
{
    [Fact]
    public void AKilledDemoCacheWriteIsSweptByTheNextRun()
    {
        using var home = new TempFolder();
        var root = home[$"demo-v{DemoModels.Version}"];
        var scratch = TempSweepTests.KilledWrite(home, $"demo-v{DemoModels.Version}", isFolder: true);

        DemoModels.EnsureInstalled(root: root);

        Assert.False(Directory.Exists(scratch));
        Assert.True(DemoModels.Verify(root));
    }

    [Fact]
    public void ThreadsThatFindTheDemoCacheMissingWriteItOnceAndAllGetIt()
    {
        // No flag in the process serialises them: the lock file beside the cache does, for threads as for processes.
        using var home = new TempFolder();
        var root = home[$"demo-v{DemoModels.Version}"];
        var log = new CollectingLog();
        var paths = Enumerable.Range(0, 6).AsParallel().WithDegreeOfParallelism(6).Select(_ => DemoModels.EnsureInstalled(log, root)).ToList();

        Assert.Single(paths.Distinct());
        Assert.Single(log.Messages, m => m.StartsWith("Writing the demo model pair", StringComparison.Ordinal));
        Assert.True(DemoModels.Verify(root));
        Assert.Equal(new[] { root }, Directory.GetFileSystemEntries(home.Path));
    }

    [Fact]
    public void ADemoFileDamagedAfterUseIsRewrittenAtTheNextUse()
    {
        using var home = new TempFolder();
        var root = home.CopyFrom(Path.GetDirectoryName(DemoPair.Paths.BaseModel)!, $"demo-v{DemoModels.Version}");
        var unet = DemoModels.EnsureInstalled(root: root).BaseModel + "/unet/model.onnx";
        var sound = File.ReadAllBytes(unet);
        File.WriteAllBytes(unet, sound[..^1]);

        DemoModels.EnsureInstalled(root: root);

        Assert.Equal(sound, File.ReadAllBytes(unet));
    }

    [Fact]
    public void ASoundDemoCacheIsReadWithoutItsLock()
    {
        using var home = new TempFolder();
        var root = home.CopyFrom(Path.GetDirectoryName(DemoPair.Paths.BaseModel)!, $"demo-v{DemoModels.Version}");
        // A lock that cannot be taken (a folder in its place): reading must not need it.
        Directory.CreateDirectory(root + ".lock");
        Assert.Equal(Path.Combine(root, "base"), DemoModels.EnsureInstalled(root: root).BaseModel);

        // Damaged, it needs writing: the lock fails at once with a message, not after minutes.
        File.Delete(Path.Combine(root, "base", "unet", "model.onnx"));
        var ex = Assert.Throws<HybridDiffusionException>(() => DemoModels.EnsureInstalled(root: root));
        Assert.Equal(HybridErrorKind.IOFailure, ex.Kind);
        Assert.Contains("its lock", ex.Message);
    }

    [LinuxFact]
    public void AnUnwritableDemoCacheFailsWithAMessage()
    {
        var ex = Assert.Throws<HybridDiffusionException>(() => DemoModels.EnsureInstalled(root: "/proc/hybrid-demo/demo-v1"));
        Assert.Equal(HybridErrorKind.IOFailure, ex.Kind);
        Assert.Contains("cannot be written", ex.Message);
        Assert.Contains(DemoModels.HomeVariable, ex.Message);
    }

    [LinuxFact]
    public void ATamperedDemoManifestNeverOpensWhatItNames()
    {
        using var home = new TempFolder();
        var root = home.CopyFrom(Path.GetDirectoryName(DemoPair.Paths.BaseModel)!, $"demo-v{DemoModels.Version}");
        var outside = home["outside.fifo"];
        Fifo.Make(outside);
        var inside = Path.Combine(root, "base", "inside.fifo");
        Fifo.Make(inside);
        var manifestPath = Path.Combine(root, "manifest.json");
        var sound = File.ReadAllText(manifestPath);
        foreach (var entry in new[] { "../outside.fifo", "base/inside.fifo", "/dev/zero", "../../../etc/shadow" })
        {
            var manifest = JsonNode.Parse(sound)!.AsObject();
            manifest["files"]!.AsObject()[entry] = "00";
            File.WriteAllText(manifestPath, manifest.ToJsonString());
            // Opening either pipe would block: the check must answer without opening them.
            var verify = Task.Run(() => DemoModels.Verify(root));
            Assert.True(verify.Wait(Fifo.Prompt), $"Verify hung on the entry '{entry}'");
            Assert.False(verify.Result, entry);
        }
    }
}
