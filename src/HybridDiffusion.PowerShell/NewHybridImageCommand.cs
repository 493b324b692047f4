using System.Management.Automation;
using HybridDiffusion.Onnx;
using HybridDiffusion.Sampling;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// New-HybridImage: generates images in hybrid (base first step, distilled after), distilled, base, skip-first,
/// reverse or plan mode. Without -OutputDirectory the images stay in memory as objects.
/// </summary>
[Cmdlet(VerbsCommon.New, "HybridImage", SupportsShouldProcess = true)]
[OutputType(typeof(GeneratedImage))]
public sealed class NewHybridImageCommand : PSCmdlet
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
    public string NegativePrompt { get; set; } = "";

    [Parameter]
    public string? Plan { get; set; }

    [Parameter]
    public int Width { get; set; } = 128;

    [Parameter]
    public int Height { get; set; } = 128;

    [Parameter]
    public string? BaseModel { get; set; }

    [Parameter]
    public string? DistilledModel { get; set; }

    /// <summary>Folder for PNG files; each is written to a temporary name and moved into place.</summary>
    [Parameter]
    public string? OutputDirectory { get; set; }

    [Parameter]
    public ExecutionProvider Provider { get; set; } = ExecutionProvider.Auto;

    protected override void ProcessRecord()
    {
        var observer = new PowerShellObserver(this, "New-HybridImage");
        try
        {
            var request = new GenerationRequest
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
                    Width = Width,
                    Height = Height,
                },
                BaseModel = ResolvePath(BaseModel),
                DistilledModel = ResolvePath(DistilledModel),
                OutputDirectory = ResolvePath(OutputDirectory),
                Session = new SessionSettings(Provider),
            };
            foreach (var image in HybridGenerator.Generate(request, observer, _stop.Token))
            {
                WriteObject(image);
            }
        }
        catch (HybridDiffusionException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
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

    protected override void StopProcessing() => _stop.Cancel();

    protected override void EndProcessing() => _stop.Dispose();

    private string? ResolvePath(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);
}
