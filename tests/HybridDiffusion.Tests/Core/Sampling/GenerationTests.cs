using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Tests.Core.Sampling;

public sealed class GenerationTests
{
    [Fact]
    public void SameSeedPromptPlanAndModelsGiveByteIdenticalPngFiles()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        var request = DemoPair.Request("a blue square", GenerationMode.Hybrid, new long[] { 7, 8 }) with
        {
            Modes = new[] { GenerationMode.Hybrid, GenerationMode.Distilled, GenerationMode.Base },
        };
        var a = TestEngine.Shared.Generate(request with { OutputDirectory = first.Path }).ToList();
        var b = TestEngine.Shared.Generate(request with { OutputDirectory = second.Path }).ToList();
        Assert.Equal(6, a.Count);
        foreach (var (x, y) in a.Zip(b))
        {
            Assert.Equal(Path.GetFileName(x.Path), Path.GetFileName(y.Path));
            Assert.Equal(File.ReadAllBytes(x.Path!), File.ReadAllBytes(y.Path!));
        }
        Assert.NotEqual(File.ReadAllBytes(a[0].Path!), File.ReadAllBytes(a[1].Path!));
    }

    [Fact]
    public void PngFilesCarryTheGenerationSettings()
    {
        using var folder = new TempFolder();
        var image = TestEngine.Shared.Generate(DemoPair.Request("a small green ball", GenerationMode.Hybrid, new long[] { 3 }) with
        {
            OutputDirectory = folder.Path,
        }).Single();
        var png = PngDecoder.Decode(image.Path!);
        Assert.Equal(image.Image.Pixels, png.Image.Pixels);
        Assert.Equal("a small green ball", png.Text["Prompt"]);
        Assert.Equal("3", png.Text["Seed"]);
        Assert.Equal("Hybrid", png.Text["Mode"]);
        Assert.Equal("base:999;distilled:759,499,259", png.Text["Plan"]);
        Assert.Equal("hybrid-demo-base", png.Text["BaseModel"]);
        Assert.Equal("hybrid-demo-distilled", png.Text["DistilledModel"]);
        Assert.Equal("a-small-green-ball-hybrid-3.png", Path.GetFileName(image.Path));
    }

    [Fact]
    public void PromptWordsChangeWhichScenesAppear()
    {
        var seeds = Enumerable.Range(0, 16).Select(i => (long)i).ToArray();
        double Redness(string prompt) => DemoPair.Generate(prompt, GenerationMode.Base, seeds, new GenerationSettings { Steps = 20 })
            .Average(i => ChannelExcess(i.Image, 0));
        double Blueness(string prompt) => DemoPair.Generate(prompt, GenerationMode.Base, seeds, new GenerationSettings { Steps = 20 })
            .Average(i => ChannelExcess(i.Image, 2));
        Assert.True(Redness("a red shape") > 2 * Redness("a blue shape"), "red prompts should give redder images");
        Assert.True(Blueness("a blue shape") > 2 * Blueness("a red shape"), "blue prompts should give bluer images");
    }

    [Fact]
    public void PlansFollowTheModeRules()
    {
        var image = (GenerationMode mode, GenerationSettings? s) => DemoPair.Generate("a photo", mode, new long[] { 1 }, s).Single();
        Assert.Equal("base:999;distilled:759,499,259", image(GenerationMode.Hybrid, null).Plan);
        Assert.Equal("distilled:999,759,499,259", image(GenerationMode.Distilled, null).Plan);
        Assert.Equal("distilled:759,499,259", image(GenerationMode.SkipFirst, null).Plan);
        Assert.Equal("distilled:999,759;base:499,259", image(GenerationMode.Reverse, new GenerationSettings { BaseSteps = 2 }).Plan);
        Assert.Equal(50, image(GenerationMode.Base, null).Steps);
        var plan = image(GenerationMode.Plan, new GenerationSettings { Plan = "base:999@3;distilled:749,499,249" });
        Assert.Equal("base:999@3;distilled:749,499,249", plan.Plan);
    }

    [Fact]
    public void GuidanceAboveOneRunsConditionalAndUnconditionalTogether()
    {
        var seeds = Enumerable.Range(0, 12).Select(i => (long)i).ToArray();
        var settings = new GenerationSettings { Steps = 10 };
        var plain = DemoPair.Generate("a shape", GenerationMode.Base, seeds, settings);
        var guided = DemoPair.Generate("a shape", GenerationMode.Base, seeds, settings with { BaseGuidance = 4, NegativePrompt = "blue" });
        var neutral = DemoPair.Generate("a shape", GenerationMode.Base, seeds, settings with { BaseGuidance = 4, NegativePrompt = "a shape" });
        Assert.Equal("base:901,801,701,601,501,401,301,201,101,1@4", guided[0].Plan);
        // ε_u + g·(ε_c − ε_u) is ε_c when both halves see the same text, and moves away from the negative prompt otherwise.
        Assert.All(plain.Zip(neutral), p => Assert.Equal(p.First.Image.Pixels, p.Second.Image.Pixels));
        Assert.Contains(plain.Zip(guided), p => !p.First.Image.Pixels.SequenceEqual(p.Second.Image.Pixels));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ProgressReportsEveryStepAndCancellationStopsWithinOneStep(int batchSize)
    {
        using var folder = new TempFolder();
        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver(p =>
        {
            if (p.ImageIndex == 1 && p.StepIndex == 0)
            {
                cancel.Cancel();
            }
        });
        var request = DemoPair.Request("a photo", GenerationMode.Base, new long[] { 1, 2, 3 }) with { OutputDirectory = folder.Path, BatchSize = batchSize };
        var produced = new List<GeneratedImage>();
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var image in TestEngine.Shared.Generate(request, observer, cancel.Token))
            {
                produced.Add(image);
            }
        });
        if (batchSize == 1)
        {
            Assert.Single(produced);
            // 50 steps of the first image, then exactly one step of the second before the stop.
            Assert.Equal(51, observer.Progress.Count);
            Assert.Equal(new[] { Path.GetFileName(produced[0].Path) }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        }
        else
        {
            // The three images advance together: the first step of each, then the stop; nothing is written.
            Assert.Empty(produced);
            Assert.Equal(new[] { 0, 1, 2 }, observer.Progress.Select(p => p.ImageIndex));
            Assert.Empty(Directory.GetFiles(folder.Path));
        }
        Assert.Equal(Enumerable.Range(1, observer.Progress.Count).Select(i => (long)i), observer.Progress.Select(p => p.StepsDone));
        Assert.All(observer.Progress, p => Assert.Equal(150, p.TotalSteps));
    }

    [Fact]
    public void AFileDeclinedBeforehandIsAnImageNotMade()
    {
        using var folder = new TempFolder();
        int steps = 0, askedBeforeFirstStep = -1;
        RecordingObserver? observer = null;
        // The second of three files is declined (-Confirm's "No"): a batch's files are all asked for before its first step.
        observer = new RecordingObserver(_ => { if (steps++ == 0) { askedBeforeFirstStep = observer!.AskedToWrite.Count; } },
            allowWrite: path => !path.EndsWith("-2.png", StringComparison.Ordinal));
        var request = DemoPair.Request("a photo", GenerationMode.Hybrid, new long[] { 1, 2, 3 }) with { OutputDirectory = folder.Path, BatchSize = 4 };
        var made = TestEngine.Shared.Generate(request, observer).ToList();
        Assert.Equal(3, askedBeforeFirstStep);
        Assert.Equal(new long[] { 1, 3 }, made.Select(i => i.Seed));
        Assert.Equal(new[] { "a-photo-hybrid-1.png", "a-photo-hybrid-3.png" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void EveryFileDeclinedRunsNothing()
    {
        using var folder = new TempFolder();
        int steps = 0;
        var observer = new RecordingObserver(_ => steps++, allowWrite: _ => false);
        var images = TestEngine.Shared.Generate(DemoPair.Request("a photo", GenerationMode.Hybrid, new long[] { 1, 2 }) with { OutputDirectory = folder.Path }, observer).ToList();
        Assert.Empty(images);
        Assert.Equal(0, steps);
        Assert.Equal(2, observer.AskedToWrite.Count);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    private static double ChannelExcess(RgbImage image, int channel)
    {
        double sum = 0;
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            int others = (image.Pixels[i] + image.Pixels[i + 1] + image.Pixels[i + 2] - image.Pixels[i + channel]) / 2;
            sum += Math.Max(0, image.Pixels[i + channel] - others);
        }
        return sum / (image.Pixels.Length / 3);
    }
}

internal sealed class RecordingObserver : IGenerationObserver
{
    private readonly Action<GenerationProgress> _onProgress;
    private readonly Func<string, bool> _allowWrite;

    public RecordingObserver(Action<GenerationProgress> onProgress, Func<string, bool>? allowWrite = null)
    {
        _onProgress = onProgress;
        _allowWrite = allowWrite ?? (_ => true);
    }

    public List<GenerationProgress> Progress { get; } = new();

    public List<string> AskedToWrite { get; } = new();

    public List<string> Warnings { get; } = new();

    public void OnProgress(GenerationProgress progress)
    {
        Progress.Add(progress);
        _onProgress(progress);
    }

    public bool ShouldWriteFile(string path)
    {
        AskedToWrite.Add(path);
        return _allowWrite(path);
    }

    public void Verbose(string message)
    {
    }

    public void Warning(string message) => Warnings.Add(message);
}
