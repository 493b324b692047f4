using System.Management.Automation;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Demo;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// The parameters every generating cmdlet shares (prompts, seeds, modes, sampling settings, models, provider) and their
/// mapping to an engine request, with Ctrl+C wired to a cancellation token.
/// </summary>
public abstract class GenerationCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Prompt text; several prompts, or prompts from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string[] Prompt { get; set; } = Array.Empty<string>();

    /// <summary>Seeds; with -Count the first seed starts a consecutive range.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long[] Seed { get; set; } = { 0 };

    /// <summary>Images per prompt and mode (seeds Seed, Seed+1, ...).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; } = 1;

    [Parameter]
    public GenerationMode[] Mode { get; set; } = { GenerationMode.Hybrid };

    [Parameter]
    [ValidateRange(1, 1000)]
    public int Steps { get; set; }

    [Parameter]
    public int BaseSteps { get; set; } = 1;

    [Parameter]
    public float Guidance { get; set; }

    [Parameter]
    public float BaseGuidance { get; set; }

    [Parameter]
    public string? NegativePrompt { get; set; }

    [Parameter]
    public NoiseKind NoiseSource { get; set; } = NoiseKind.Fast;

    [Parameter]
    public string? InitialLatents { get; set; }

    [Parameter]
    public string? Plan { get; set; }

    [Parameter]
    [ValidateSet("ddim", "lcm", "euler", "euler-ancestral")]
    public string? Scheduler { get; set; }

    [Parameter]
    public DistilledPreset? Preset { get; set; }

    [Parameter]
    public int Width { get; set; } = 128;

    [Parameter]
    public int Height { get; set; } = 128;

    /// <summary>Base model folder (diffusers-ONNX layout); omit both models to use the built-in demo pair.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelPathCompleter))]
    public string? BaseModel { get; set; }

    /// <summary>Distilled model folder, or a UNet-only folder sharing the base's text encoder and VAE.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelPathCompleter))]
    public string? DistilledModel { get; set; }

    [Parameter]
    public ExecutionProvider Provider { get; set; } = ExecutionProvider.Auto;

    /// <summary>Images per UNet run; omitted, it is chosen from the UNet's size and provider.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int BatchSize { get; set; }

    [Parameter]
    public MemoryMode MemoryMode { get; set; } = MemoryMode.Auto;

    /// <summary>ONNX Runtime's intra-op threads on the CPU; 0 chooses.</summary>
    [Parameter]
    [ValidateRange(0, 1024)]
    public int ThreadCount { get; set; }

    /// <summary>A model pair with sliders, from Add-ConceptSlider; replaces -BaseModel and -DistilledModel.</summary>
    [Parameter]
    public HybridModel? Model { get; set; }

    /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
    protected CancellationToken StopToken => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    protected override void EndProcessing() => _stop.Dispose();

    protected GenerationRequest BuildRequest(string? outputDirectory, IEngineLog log) => Model is not null && (BaseModel is not null || DistilledModel is not null)
        ? throw HybridDiffusionException.Argument("Model", "-Model already names the base and distilled models; leave out -BaseModel and -DistilledModel.")
        : DemoModels.WithDefaultModels(new()
    {
        Prompts = Prompt,
        Seeds = Count > 1 ? Enumerable.Range(0, Count).Select(i => Seed[0] + i).ToArray() : Seed,
        Modes = Mode,
        Settings = new GenerationSettings
        {
            Steps = MyInvocation.BoundParameters.ContainsKey(nameof(Steps)) ? Steps : null,
            BaseSteps = BaseSteps,
            Guidance = Guidance,
            BaseGuidance = BaseGuidance,
            NegativePrompt = NegativePrompt,
            Plan = Plan,
            Scheduler = Scheduler,
            Preset = Preset,
            Width = Width,
            Height = Height,
        },
        BaseModel = Model is null ? ResolvePath(BaseModel) : Model.BaseModel,
        DistilledModel = Model is null ? ResolvePath(DistilledModel) : Model.DistilledModel,
        Sliders = Model?.Sliders ?? Array.Empty<SliderSpec>(),
        StrictSliders = Model?.StrictSliders ?? false,
        OutputDirectory = ResolvePath(outputDirectory),
        Session = new SessionSettings(Provider, IntraOpThreads: ThreadCount),
        BatchSize = MyInvocation.BoundParameters.ContainsKey(nameof(BatchSize)) ? BatchSize : null,
        MemoryMode = MemoryMode,
        NoiseSource = NoiseSource,
        InitialLatents = InitialLatents is null ? null : NpyArray.Read(ResolvePath(InitialLatents)!, "-InitialLatents"),
    }, log);

    protected string? ResolvePath(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Runs the body, turning engine errors into terminating errors and Ctrl+C into a quiet stop.</summary>
    private protected void Run(Action body, PowerShellObserver observer)
    {
        try
        {
            body();
        }
        catch (Exception ex) when (ErrorRecords.Terminating(ex, MyInvocation.MyCommand) is { } record)
        {
            ThrowTerminatingError(record);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: the engine stopped within one step and wrote no partial file.
        }
        finally
        {
            observer.Complete();
        }
    }
}
