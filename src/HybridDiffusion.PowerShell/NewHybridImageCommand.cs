namespace HybridDiffusion.PowerShell;

/// <summary>
/// New-HybridImage: generates images in hybrid (base first step, distilled after), distilled, base, skip-first,
/// reverse or plan mode. Without -OutputDirectory the images stay in memory as objects.
/// </summary>
[Cmdlet(VerbsCommon.New, "HybridImage", SupportsShouldProcess = true)]
[OutputType(typeof(GeneratedImage))]
public sealed class NewHybridImageCommand : GenerationCmdlet
{
    /// <summary>Folder for PNG files; each is written to a temporary name and moved into place.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("OutputPath")]   // what Export-Csv and Out-File habits type
    public string? OutputDirectory { get; set; }

    /// <summary>Also return each image's x̂0 trajectory (Trajectory property), as Get-X0Trajectory computes it.</summary>
    [Parameter]
    public SwitchParameter IncludeTrajectory { get; set; }

    /// <summary>With -IncludeTrajectory: decode x̂0 every Nth step (the last step always).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Every { get; set; } = TrajectoryRequest.DefaultEvery;

    protected override void ProcessRecord()
    {
        var observer = new PowerShellObserver(this, "New-HybridImage");
        Run(() =>
        {
            var request = BuildRequest(OutputDirectory) with { TrajectoryEvery = IncludeTrajectory ? Every : null };
            foreach (var image in SharedEngine.Instance.Generate(request, observer, StopToken))
            {
                WriteObject(image);
            }
        }, observer);
    }
}
