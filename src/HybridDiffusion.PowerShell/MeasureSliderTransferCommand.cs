using HybridDiffusion.Analysis.Sliders;
using HybridDiffusion.Contracts.Sliders;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Measure-SliderTransfer: for each strength, how far a slider moves base-model and distilled-model images from
/// strength 0 (same prompts and seeds), side by side, as in the paper's transfer table.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "SliderTransfer")]
[OutputType(typeof(SliderTransferRow))]
public sealed class MeasureSliderTransferCommand : GenerationCmdlet
{
    /// <summary>The slider or LoRA .safetensors file.</summary>
    [Parameter(Mandatory = true)]
    public string Path { get; set; } = "";

    /// <summary>The strengths compared with strength 0; the default pair moves images clearly both ways.</summary>
    [Parameter]
    public float[] Strength { get; set; } = SliderTransferRequest.DefaultStrengths.ToArray();

    protected override void ProcessRecord()
    {
        var observer = new PowerShellObserver(this, "Measure-SliderTransfer");
        Run(() =>
        {
            var request = new SliderTransferRequest
            {
                Generation = BuildRequest(outputDirectory: null),
                SliderPath = GetUnresolvedProviderPathFromPSPath(Path),
                Strengths = Strength,
            };
            foreach (var row in SliderTransfer.Measure(SharedEngine.Instance, request, observer, StopToken))
            {
                WriteObject(row);
            }
        }, observer);
    }
}
