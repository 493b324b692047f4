using HybridDiffusion.Analysis.Trajectories;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Trajectories;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Get-X0Trajectory: the clean image x̂0 each step predicts, decoded, with its distance to the run's final image;
/// with -OutputDirectory also a labelled grid, the commitment chart (SVG and PNG) and an HTML report.
/// </summary>
[Cmdlet(VerbsCommon.Get, "X0Trajectory", SupportsShouldProcess = true)]
[OutputType(typeof(TrajectoryStep), typeof(TrajectorySummary))]
public sealed class GetX0TrajectoryCommand : GenerationCmdlet, IEmbeddingParameters
{
    /// <summary>Decode x̂0 every Nth step (the last step always).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Every { get; set; } = TrajectoryRequest.DefaultEvery;

    /// <summary>RMS distance to the final image that counts as committed (for the summary).</summary>
    [Parameter]
    [ValidateRange(0.001, 0.999)]
    public double Threshold { get; set; } = TrajectoryRequest.DefaultThreshold;

    /// <summary>Folder for step PNGs, grids, commitment.svg/.png and trajectory-report.html.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("OutputPath")]   // what Export-Csv and Out-File habits type
    public string? OutputDirectory { get; set; }

    /// <summary>An ONNX image-embedding model: adds EmbeddingDistanceToFinal to every step.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelPathCompleter))]
    public string? EmbeddingModel { get; set; }

    [Parameter]
    public EmbeddingPreset EmbeddingPreset { get; set; } = EmbeddingOptions.DefaultPreset;

    [Parameter]
    public int EmbeddingSize { get; set; }

    [Parameter]
    public ResizeFilter EmbeddingResize { get; set; }

    /// <summary>Centre-crop fraction of the shorter side; 0 stretches the whole image (no crop).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double EmbeddingCrop { get; set; }

    [Parameter]
    [ValidateCount(3, 3)]
    public float[]? EmbeddingMean { get; set; }

    [Parameter]
    [ValidateCount(3, 3)]
    public float[]? EmbeddingStd { get; set; }

    [Parameter]
    public TensorLayout EmbeddingLayout { get; set; }

    /// <summary>Write the summary (mean commitment curves, fraction of steps to the threshold, picture paths) instead of the steps.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void ProcessRecord()
    {
        // The step pictures' names depend on the plan, so the folder is confirmed once, before anything is computed;
        // declined (or -WhatIf), nothing runs.
        var folder = ResolvePath(OutputDirectory);
        if (folder is not null && !ShouldProcess(folder, "Write x0 step pictures, grids, the commitment chart and the HTML report"))
        {
            return;
        }
        var observer = new PowerShellObserver(this, "Get-X0Trajectory", confirmEachFile: false);
        Run(() =>
        {
            var generation = BuildRequest(outputDirectory: null);
            var run = new X0TrajectoryRun(SharedEngine.Instance, new TrajectoryRequest
            {
                Generation = generation,
                Every = Every,
                Threshold = Threshold,
                OutputDirectory = folder,
                Embedding = EmbeddingOptionsOf(this, generation.Provider),
            });
            foreach (var step in run.Run(observer, StopToken))
            {
                if (!Summary)
                {
                    WriteObject(step);
                }
            }
            if (Summary)
            {
                WriteObject(run.Summary);
            }
        }, observer);
    }
}
