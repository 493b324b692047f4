using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Formats;

namespace HybridDiffusion.Cli;

/// <summary>The options every generating verb shares, and their mapping onto a <see cref="GenerationRequest"/>.</summary>
internal sealed class GenerationOptions
{
    public Argument<string[]> Prompts { get; } = new("prompt")
    {
        Description = "One or more prompts (quote each). Use '-' to read prompts from standard input, one per line.",
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<long[]> Seed { get; } = new("--seed", "-s")
    {
        Description = $"Seeds (several allowed; default {GenerationRequest.DefaultSeed}). Without --count, exactly these seeds.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int?> Count { get; } = new("--count", "-n")
    {
        Description = "Images per prompt and mode. With one --seed (or none), that many consecutive seeds from it: seed, seed+1, ...; " +
            "with several seeds it must equal their number (or leave it out to make exactly the seeds given).",
    };

    public Option<string[]> Mode { get; } = new("--mode", "-m")
    {
        Description = "hybrid, distilled, base, skip-first, reverse or plan (several allowed).",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => GenerationRequest.Defaults.Modes.Select(GenerationModes.Name).ToArray(),
    };

    public Option<int?> Steps { get; } = new("--steps")
    {
        Description = $"Denoising steps (default: {GenerationSettings.DefaultBaseModeSteps} for base, {GenerationSettings.DefaultDistilledSteps} otherwise).",
    };

    public Option<string> BaseSteps { get; } = BaseStepsOption();

    public Option<float> Guidance { get; } = new("--guidance") { Description = "Guidance of distilled segments (≤ 1: no CFG)." };

    public Option<float> BaseGuidance { get; } = new("--base-guidance") { Description = "Guidance of base segments (≤ 1: no CFG)." };

    public Option<bool> Cads { get; } = new("--cads")
    {
        Description = $"Condition annealing (CADS) on the prompt embedding, with the paper's defaults (τ1 {ConditionAnnealing.DefaultTau1}, τ2 {ConditionAnnealing.DefaultTau2}, " +
            $"scale {ConditionAnnealing.DefaultScale}, ψ {ConditionAnnealing.DefaultPsi}); any --cads-* option turns it on too.",
    };

    public Option<double?> CadsTau1 { get; } = new("--cads-tau1") { Description = "CADS: t (0 to 1, 1 = pure noise) at and below which the prompt is clean." };

    public Option<double?> CadsTau2 { get; } = new("--cads-tau2") { Description = "CADS: t from which the prompt is all noise (linear between τ1 and τ2)." };

    public Option<double?> CadsScale { get; } = new("--cads-scale") { Description = "CADS: the noise scale s (≥ 0)." };

    public Option<double?> CadsPsi { get; } = new("--cads-psi") { Description = "CADS: how much of the embedding rescaled to the clean one's mean and deviation is kept (0 to 1)." };

    public Option<double?> ConditionNoise { get; } = new("--condition-noise")
    {
        Description = "Noise of this strength on the prompt embedding for the first steps (\"seed variance\"), then clean.",
    };

    public Option<double?> ConditionNoiseFraction { get; } = new("--condition-noise-fraction")
    {
        Description = $"The share of the steps, from the first, that get --condition-noise (above 0, at most 1; default {ConditioningNoise.DefaultFraction}).",
    };

    public Option<double[]> GuidanceInterval { get; } = new("--guidance-interval")
    {
        Description = "LOW HIGH: guided segments apply guidance only at steps whose noise level σ lies in [LOW, HIGH], and run one unguided pass elsewhere.",
        // Exactly two, so a prompt after them is not taken for a third.
        Arity = new ArgumentArity(2, 2),
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string?> NegativePrompt { get; } = new("--negative-prompt")
    {
        Description = "Unconditional prompt when guidance > 1. Without it SDXL models use zero conditioning (as diffusers); an explicit '' is encoded.",
    };

    public Option<NoiseKind> Noise { get; } = new("--noise")
    {
        Description = "Noise generator the seeds drive: fast (default) or torch (PyTorch's CPU generator: the same seed gives diffusers' latents).",
        DefaultValueFactory = _ => GenerationRequest.Defaults.NoiseSource,
    };

    public Option<string?> Latents { get; } = new("--latents")
    {
        Description = "Start every image from these latents (.npy, float32, [1, 4, height/8, width/8], standard normal like torch.randn) instead of seeded noise.",
    };

    public Option<string?> Scheduler { get; } = SchedulerOption();

    public Option<DistilledPreset?> Preset { get; } = new("--preset") { Description = "The distilled family's recommended sampler: Dmd2, Turbo, Lightning or Lcm." };

    public Option<string[]> Slider { get; } = new("--slider")
    {
        Description = "Merge a slider/LoRA file: FILE:STRENGTH[:base|distilled|both[:START_TIMESTEP]] (repeatable).",
    };

    public Option<bool> StrictSliders { get; } = new("--strict-sliders") { Description = "Fail when a slider key matches no UNet weight." };

    public Option<string?> Plan { get; } = new("--plan") { Description = "Explicit plan for --mode plan, e.g. 'base:999;distilled:749,499,249'." };

    public Option<int> Width { get; } = new("--width") { Description = "Image width in pixels (multiple of 8).", DefaultValueFactory = _ => GenerationRequest.Defaults.Settings.Width };

    public Option<int> Height { get; } = new("--height") { Description = "Image height in pixels (multiple of 8).", DefaultValueFactory = _ => GenerationRequest.Defaults.Settings.Height };

    public ModelOptions Models { get; } = new();

    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Images per UNet run (default: chosen from the UNet's size and provider)." };

    public Option<double?> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds one image may take before the run stops with an error (exit 1); ends a model that never finishes. Default: no limit.",
    };

    public Option<MemoryMode> MemoryMode { get; } = new("--memory-mode")
    {
        Description = "auto, concurrent (both UNets loaded) or sequential (base steps of every image, release, then distilled steps).",
        DefaultValueFactory = _ => GenerationRequest.Defaults.MemoryMode,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Print what the engine does (models loaded, providers)." };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Prompts);
        foreach (var option in new Option[] { Seed, Count, Mode, Steps, BaseSteps, Guidance, BaseGuidance, Cads, CadsTau1, CadsTau2, CadsScale, CadsPsi, ConditionNoise, ConditionNoiseFraction, GuidanceInterval, NegativePrompt, Noise, Latents, Scheduler, Preset, Slider, StrictSliders, Plan, Width, Height }.Concat(Models.All).Concat(new Option[] { BatchSize, MemoryMode, Timeout, Verbose }))
        {
            command.Options.Add(option);
        }
    }

    public GenerationRequest ToRequest(ParseResult result, string? outputDirectory)
    {
        var prompts = result.GetValue(Prompts)!;
        switch (prompts.Count(p => p == "-"))
        {
            case 0:
                break;
            case 1:
                // Standard input's lines take the place of the '-' among the other prompts.
                prompts = prompts.SelectMany(p => p == "-" ? ReadPromptsFromStandardInput() : new[] { p }).ToArray();
                break;
            default:
                throw HybridDiffusionException.Argument(SettingId.Prompt,
                    "'-' (read prompts from standard input) can stand only once among the prompts; standard input is read once.");
        }
        return Models.ApplyTo(new GenerationRequest
        {
            Prompts = prompts,
            Seeds = result.GetValue(Seed) ?? Array.Empty<long>(),
            Count = result.GetValue(Count),
            Modes = result.GetValue(Mode)!.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(GenerationModes.Parse).ToArray(),
            Settings = BaseStepsArgument.ApplyTo(new GenerationSettings
            {
                Steps = result.GetValue(Steps),
                Guidance = result.GetValue(Guidance),
                BaseGuidance = result.GetValue(BaseGuidance),
                Annealing = ConditionAnnealing.FromOptions(result.GetValue(Cads), result.GetValue(CadsTau1), result.GetValue(CadsTau2),
                    result.GetValue(CadsScale), result.GetValue(CadsPsi)),
                ConditioningNoise = Contracts.Requests.ConditioningNoise.FromOptions(result.GetValue(ConditionNoise), result.GetValue(ConditionNoiseFraction)),
                GuidanceInterval = Contracts.Requests.GuidanceInterval.FromOptions(result.GetValue(GuidanceInterval)),
                NegativePrompt = result.GetValue(NegativePrompt),
                Plan = result.GetValue(Plan),
                Scheduler = result.GetValue(Scheduler),
                Preset = result.GetValue(Preset),
                Width = result.GetValue(Width),
                Height = result.GetValue(Height),
            }, result.GetValue(BaseSteps)!),
            Sliders = (result.GetValue(Slider) ?? Array.Empty<string>()).Select(SliderArgument.Parse).ToArray(),
            StrictSliders = result.GetValue(StrictSliders),
            OutputDirectory = outputDirectory,
            BatchSize = result.GetValue(BatchSize),
            TimeoutSeconds = result.GetValue(Timeout),
            MemoryMode = result.GetValue(MemoryMode),
            NoiseSource = result.GetValue(Noise),
            InitialLatents = result.GetValue(Latents),
        }, result);
    }

    // One prompt a line: 16 Mi characters are hundreds of thousands of prompts, in a few dozen MB of memory.
    private const long MaxStandardInputChars = 16L << 20;

    private static string[] ReadPromptsFromStandardInput()
    {
        var prompts = new List<string>();
        var lines = new BoundedLineReader(Console.In, PromptText.MaxChars, MaxStandardInputChars, "standard input", HybridErrorKind.InvalidArgument, SettingId.Prompt);
        while (lines.ReadLine() is string line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                prompts.Add(line.Trim());
            }
        }
        return prompts.ToArray();
    }

    private static Option<string> BaseStepsOption()
    {
        var option = new Option<string>("--base-steps")
        {
            Description = $"Leading steps run by the base model in hybrid mode (k), or {BaseStepsArgument.Auto}: chosen per prompt by a probe of the models.",
            DefaultValueFactory = _ => GenerationRequest.Defaults.Settings.BaseSteps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        option.CompletionSources.Add(BaseStepsArgument.Auto);
        return option;
    }

    private static Option<string?> SchedulerOption()
    {
        var option = new Option<string?>("--scheduler") { Description = $"Replace every model's scheduler: {SchedulerKinds.Alternatives}." };
        option.CompletionSources.Add(SchedulerKinds.Names.ToArray());
        return option;
    }
}
