using HybridDiffusion.Analysis.Adherence;
using HybridDiffusion.Contracts.Adherence;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Demo;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Measure-PromptAdherence: how well images follow the prompt in their metadata (CLIP score, or the demo pair's exact
/// scene measure), one report per prompt, with a minimum that makes CI jobs fail when adherence regresses.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "PromptAdherence", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
[OutputType(typeof(AdherenceReport))]
public sealed class MeasurePromptAdherenceCommand : ImageInputCmdlet
{
    private PowerShellObserver? _observer;
    private AdherenceWorkflow? _workflow;

    /// <summary>CLIP image model (.onnx, with projection: image_embeds).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelPathCompleter))]
    public string? ClipImageModel { get; set; }

    /// <summary>CLIP text model (.onnx, with projection: text_embeds); vocab.json and merges.txt beside it.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelPathCompleter))]
    public string? ClipTextModel { get; set; }

    /// <summary>Judge demo images exactly: does each show a scene its prompt asks for.</summary>
    [Parameter]
    public SwitchParameter Demo { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupByCompleter))]
    public string PromptFromMetadata { get; set; } = AdherenceRequest.DefaultPromptProperty;

    [Parameter]
    public double MinimumAdherence { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JUnitPath { get; set; }

    [Parameter]
    public ExecutionProvider Provider { get; set; } = GenerationRequest.Defaults.Provider;

    // Settings and destinations are checked before any input is read, so a bad one fails before the pipeline's images are made.
    protected override void BeginProcessing()
    {
        _observer = new PowerShellObserver(this, "Measure-PromptAdherence");
        Run(() => _workflow = new AdherenceWorkflow(SharedEngine.Instance, ToRequest(), ResolvePath(JUnitPath), DemoAdherenceJudge.Open, _observer), observer: null);
    }

    protected override void EndProcessing()
    {
        var workflow = _workflow!;
        Run(() =>
        {
            var outcome = workflow.Measure(StopToken);
            if (workflow.JUnitPath is { } junit && ShouldProcess(junit, "Write JUnit report"))
            {
                workflow.WriteJUnit(outcome);
            }
            foreach (var report in outcome.Reports)
            {
                WriteObject(report);
                foreach (var failure in report.Failures)
                {
                    WriteError(ErrorRecords.GateFailed(failure, report.Group, "HybridDiffusion.AdherenceBelowMinimum", report));
                }
            }
            // The unreadable inputs were reported as they came.
            foreach (var problem in workflow.MeasurementProblems(outcome))
            {
                WriteError(ErrorRecords.From(problem, MyInvocation.MyCommand));
            }
        }, _observer);
    }

    private AdherenceRequest ToRequest() => new()
    {
        ClipImage = ClipImageModel is null ? null : new EmbeddingOptions
        {
            ModelPath = GetUnresolvedProviderPathFromPSPath(ClipImageModel), Preset = EmbeddingPreset.Clip, Provider = Provider,
        },
        ClipTextModel = ResolvePath(ClipTextModel),
        Demo = Demo,
        PromptProperty = PromptFromMetadata,
        MinimumAdherence = Bound(nameof(MinimumAdherence)) ? MinimumAdherence : null,
    };

    private protected override void AddImage(GeneratedImage image) => _workflow!.Add(image);

    private protected override HybridDiffusionException? AddImageFile(string path) => _workflow!.AddFile(path);
}
