using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Contracts.Sliders;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// The parameters every generating cmdlet shares (prompts, seeds, modes, sampling settings, models, provider) and their
/// mapping onto a <see cref="GenerationRequest"/>.
/// </summary>
public abstract class GenerationCmdlet : EngineCmdlet
{
    /// <summary>Prompt text; several prompts, or prompts from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string[] Prompt { get; set; } = Array.Empty<string>();

    /// <summary>Seeds; without -Count exactly these, with -Count and one seed a consecutive range from it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long[] Seed { get; set; } = { GenerationRequest.DefaultSeed };

    /// <summary>Images per prompt and mode; with several seeds it must equal their number.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    [Parameter]
    public GenerationMode[] Mode { get; set; } = GenerationRequest.Defaults.Modes.ToArray();

    [Parameter]
    [ValidateRange(1, 1000)]
    public int Steps { get; set; }

    /// <summary>A whole number, or Auto: chosen per prompt by a probe of the models (mode Hybrid).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(BaseStepsCompleter))]
    public string BaseSteps { get; set; } = GenerationRequest.Defaults.Settings.BaseSteps.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Parameter]
    public float Guidance { get; set; }

    [Parameter]
    public float BaseGuidance { get; set; }

    /// <summary>Condition annealing (CADS) with the paper's defaults; any -Cads* parameter turns it on too.</summary>
    [Parameter]
    public SwitchParameter Cads { get; set; }

    [Parameter]
    public double? CadsTau1 { get; set; }

    [Parameter]
    public double? CadsTau2 { get; set; }

    [Parameter]
    public double? CadsScale { get; set; }

    [Parameter]
    public double? CadsPsi { get; set; }

    /// <summary>Noise of this strength on the prompt embedding for the first steps, then clean.</summary>
    [Parameter]
    public double? ConditionNoise { get; set; }

    [Parameter]
    public double? ConditionNoiseFraction { get; set; }

    /// <summary>Two noise levels σ, low and high: guidance only at steps between them.</summary>
    [Parameter]
    public double[]? GuidanceInterval { get; set; }

    [Parameter]
    public string? NegativePrompt { get; set; }

    [Parameter]
    public NoiseKind NoiseSource { get; set; } = GenerationRequest.Defaults.NoiseSource;

    [Parameter]
    public string? InitialLatents { get; set; }

    [Parameter]
    public string? Plan { get; set; }

    [Parameter]
    [ValidateSchedulerName]
    [ArgumentCompleter(typeof(SchedulerCompleter))]
    public string? Scheduler { get; set; }

    [Parameter]
    public DistilledPreset? Preset { get; set; }

    [Parameter]
    public int Width { get; set; } = GenerationRequest.Defaults.Settings.Width;

    [Parameter]
    public int Height { get; set; } = GenerationRequest.Defaults.Settings.Height;

    /// <summary>Base model folder (diffusers-ONNX layout); omit both models to use the built-in demo pair.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelPathCompleter))]
    public string? BaseModel { get; set; }

    /// <summary>Distilled model folder, or a UNet-only folder sharing the base's text encoder and VAE.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelPathCompleter))]
    public string? DistilledModel { get; set; }

    [Parameter]
    public ExecutionProvider Provider { get; set; } = GenerationRequest.Defaults.Provider;

    /// <summary>Images per UNet run; omitted, it is chosen from the UNet's size and provider.</summary>
    [Parameter]
    [ValidateRange(1, GenerationRequest.MaxBatchSize)]
    public int BatchSize { get; set; }

    [Parameter]
    public MemoryMode MemoryMode { get; set; } = GenerationRequest.Defaults.MemoryMode;

    /// <summary>Seconds one image may take before the run stops with an error; omitted, no limit.</summary>
    [Parameter]
    public double? Timeout { get; set; }

    /// <summary>ONNX Runtime's intra-op threads on the CPU; 0 chooses.</summary>
    [Parameter]
    [ValidateRange(0, GenerationRequest.MaxThreadCount)]
    public int ThreadCount { get; set; }

    /// <summary>A model pair with sliders, from Add-ConceptSlider; replaces -BaseModel and -DistilledModel.</summary>
    [Parameter]
    public HybridModel? Model { get; set; }

    protected GenerationRequest BuildRequest(string? outputDirectory)
    {
        if (Model is not null && (BaseModel is not null || DistilledModel is not null))
        {
            throw HybridDiffusionException.Argument(SettingId.BaseModel, "-Model already names the base and distilled models; leave out -BaseModel and -DistilledModel.");
        }
        return new GenerationRequest
        {
            Prompts = Prompt,
            // Only what was given, as -Count: a request without seeds takes its own default (Measure-SliderTransfer's is 0 to 7).
            Seeds = Bound(nameof(Seed)) ? Seed : Array.Empty<long>(),
            Count = Bound(nameof(Count)) ? Count : null,
            Modes = Mode,
            Settings = BaseStepsArgument.ApplyTo(new GenerationSettings
            {
                Steps = Bound(nameof(Steps)) ? Steps : null,
                Guidance = Guidance,
                BaseGuidance = BaseGuidance,
                Annealing = ConditionAnnealing.FromOptions(Cads.IsPresent, CadsTau1, CadsTau2, CadsScale, CadsPsi),
                ConditioningNoise = Contracts.Requests.ConditioningNoise.FromOptions(ConditionNoise, ConditionNoiseFraction),
                GuidanceInterval = Contracts.Requests.GuidanceInterval.FromOptions(GuidanceInterval),
                NegativePrompt = NegativePrompt,
                Plan = Plan,
                Scheduler = Scheduler,
                Preset = Preset,
                Width = Width,
                Height = Height,
            }, BaseSteps),
            BaseModel = Model is null ? ResolvePath(BaseModel) : Model.BaseModel,
            DistilledModel = Model is null ? ResolvePath(DistilledModel) : Model.DistilledModel,
            Sliders = Model?.Sliders ?? Array.Empty<SliderSpec>(),
            StrictSliders = Model?.StrictSliders ?? false,
            OutputDirectory = ResolvePath(outputDirectory),
            Provider = Provider,
            ThreadCount = ThreadCount,
            BatchSize = Bound(nameof(BatchSize)) ? BatchSize : null,
            TimeoutSeconds = Timeout,
            MemoryMode = MemoryMode,
            NoiseSource = NoiseSource,
            InitialLatents = ResolvePath(InitialLatents),
        };
    }
}
