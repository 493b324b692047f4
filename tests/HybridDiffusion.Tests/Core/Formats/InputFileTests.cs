using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Tests.Core.Formats;

/// <summary>Untrusted files are checked before they are opened: a pipe or a device is refused at once, never read (issue 24).</summary>
public sealed class InputFileTests
{
    [LinuxFact]
    public void PipesAndDevicesAreRefusedBeforeOpening()
    {
        using var folder = new TempFolder();
        var fifo = folder["latents.npy"];
        Fifo.Make(fifo);
        foreach (var path in new[] { fifo, "/dev/zero" })
        {
            var read = Task.Run(() => Assert.Throws<HybridDiffusionException>(() => NpyArray.Read(path, "the initial latents")));
            Assert.True(read.Wait(Fifo.Prompt), $"reading {path} hung");
            Assert.Contains("is not a regular file", read.Result.Message);
            var lora = Task.Run(() => Assert.Throws<HybridDiffusionException>(() => LoraFile.Load(path)));
            Assert.True(lora.Wait(Fifo.Prompt), $"loading {path} as a LoRA hung");
            Assert.Contains("is not a regular file", lora.Result.Message);
        }
    }
}
