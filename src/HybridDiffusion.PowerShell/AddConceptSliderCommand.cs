using HybridDiffusion.Analysis.Sliders;
using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Add-ConceptSlider: adds a slider or LoRA file at a strength to a base/distilled model pair and returns the pair
/// (a HybridModel) for New-HybridImage, Get-X0Trajectory and Measure-SliderTransfer. The file is read and checked here.
/// </summary>
[Cmdlet(VerbsCommon.Add, "ConceptSlider", DefaultParameterSetName = PathsSet)]
[OutputType(typeof(HybridModel))]
public sealed class AddConceptSliderCommand : PSCmdlet
{
    private const string ModelSet = "Model";
    private const string PathsSet = "Paths";

    /// <summary>A model pair from an earlier Add-ConceptSlider (sliders compose).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ModelSet)]
    public HybridModel? Model { get; set; }

    [Parameter(ParameterSetName = PathsSet)]
    [ArgumentCompleter(typeof(ModelPathCompleter))]
    public string? BaseModel { get; set; }

    [Parameter(ParameterSetName = PathsSet)]
    [ArgumentCompleter(typeof(ModelPathCompleter))]
    public string? DistilledModel { get; set; }

    /// <summary>The slider or LoRA .safetensors file.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    public float Strength { get; set; }

    [Parameter]
    public SliderTarget Target { get; set; } = SliderTarget.Both;

    [Parameter]
    [ValidateRange(0, 999)]
    public int StartAtTimestep { get; set; }

    [Parameter]
    public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        var file = GetUnresolvedProviderPathFromPSPath(Path);
        var slider = new SliderSpec(file, Strength, Target, MyInvocation.BoundParameters.ContainsKey(nameof(StartAtTimestep)) ? StartAtTimestep : null);
        try
        {
            var model = Model ?? new HybridModel(Resolve(BaseModel), Resolve(DistilledModel), Array.Empty<SliderSpec>());
            WriteObject(SliderCatalog.Add(model, slider, Strict));
        }
        catch (Exception ex) when (ErrorRecords.Terminating(ex, MyInvocation.MyCommand) is { } record)
        {
            ErrorRecords.ThrowTerminating(this, record);
        }
    }

    private string? Resolve(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);
}
