using System.Management.Automation;
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
    /// <summary>Eight seeds by default (<see cref="SliderTransfer.DefaultSeedCount"/>), as `hybrid slider-transfer` measures.</summary>
    public MeasureSliderTransferCommand() => Count = SliderTransfer.DefaultSeedCount;

    /// <summary>The slider or LoRA .safetensors file.</summary>
    [Parameter(Mandatory = true)]
    public string Path { get; set; } = "";

    /// <summary>The strengths compared with strength 0; the default pair moves images clearly both ways.</summary>
    [Parameter]
    public float[] Strength { get; set; } = SliderTransfer.DefaultStrengths.ToArray();

    protected override void ProcessRecord()
    {
        var observer = new PowerShellObserver(this, "Measure-SliderTransfer");
        Run(() =>
        {
            var slider = new SliderSpec(GetUnresolvedProviderPathFromPSPath(Path), 1f);
            foreach (var row in SliderTransfer.Measure(SharedEngine.Instance, BuildRequest(outputDirectory: null, observer), slider, Strength, observer, StopToken))
            {
                WriteObject(row);
            }
        }, observer);
    }
}
