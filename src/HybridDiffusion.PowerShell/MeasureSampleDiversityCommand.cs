using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Measure-SampleDiversity: mean pairwise distance, bootstrap interval and Vendi score per group of images (by prompt,
/// or any property), with thresholds that make CI jobs fail when diversity regresses; with -ReferencePath, each group's
/// FID and KID against a reference set.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "SampleDiversity", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
[OutputType(typeof(DiversityReport), typeof(DistributionReport), typeof(InceptionScoreReport), typeof(DirectionsReport))]
public sealed class MeasureSampleDiversityCommand : ImageInputCmdlet, IEmbeddingParameters
{
    private PowerShellObserver? _observer;
    private DiversityWorkflow? _workflow;

    [Parameter]
    public DiversityMetric[] Metric { get; set; } = DiversityRequest.Defaults.Metrics.ToArray();

    /// <summary>Property to group by: Prompt (default), Mode, Seed, BaseModel, File, Directory or any PNG text key.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupByCompleter))]
    public string GroupBy { get; set; } = DiversityRequest.Defaults.GroupBy;

    /// <summary>Side images are resized to for Rms, Ssim and MsSsim.</summary>
    [Parameter]
    [ValidateRange(DiversityRequest.MinSize, DiversityRequest.MaxSize)]
    public int Size { get; set; } = DiversityRequest.Defaults.Size;

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

    /// <summary>CI gate: a group whose mean pairwise distance is below this writes an error.</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double MinimumDistance { get; set; }

    /// <summary>CI gate: a group whose Vendi score is below this writes an error.</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double MinimumVendi { get; set; }

    /// <summary>Compare every group with this one (ratio of means, whether the bootstrap intervals separate).</summary>
    [Parameter]
    public string? ReferenceGroup { get; set; }

    /// <summary>The reference set of FID and KID: PNG files, a folder, wildcards, a list file or saved statistics (.fidstats).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReferencePath { get; set; }

    /// <summary>Save the reference set's statistics to this .fidstats file, for later runs.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SaveReference { get; set; }

    /// <summary>CI gate: a group whose FID against the reference is above this writes an error.</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double MaximumFid { get; set; }

    /// <summary>CI gate: a group whose KID against the reference is above this writes an error.</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double MaximumKid { get; set; }

    /// <summary>A classifier ONNX model (logits [batch, classes]) for each group's Inception Score.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InceptionModel { get; set; }

    /// <summary>The input convention of -InceptionModel (its input size is read from the model).</summary>
    [Parameter]
    public EmbeddingPreset InceptionPreset { get; set; } = EmbeddingOptions.DefaultPreset;

    /// <summary>Per prompt, the base-mode set's top this-many principal embedding directions and each other set's variance along them.</summary>
    /// <remarks>No range attribute: the request refuses values below 1 in the same words in both faces.</remarks>
    [Parameter]
    public int Directions { get; set; }

    /// <summary>Keep each group's distance matrix in its report (Matrix property).</summary>
    [Parameter]
    public SwitchParameter IncludeMatrix { get; set; }

    /// <summary>Folder for a contact sheet per group and a heatmap per group and metric.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PictureDirectory { get; set; }

    /// <summary>Write a JUnit XML report (a test case per group and metric) to this file, for CI test views.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JUnitPath { get; set; }

    [Parameter]
    [ValidateRange(DiversityRequest.MinBootstrapResamples, DiversityRequest.MaxBootstrapResamples)]
    public int BootstrapResamples { get; set; } = DiversityRequest.Defaults.BootstrapResamples;

    [Parameter]
    public int BootstrapSeed { get; set; }

    [Parameter]
    public ExecutionProvider Provider { get; set; } = GenerationRequest.Defaults.Provider;

    // Settings and destinations are checked before any input is read, so a bad one fails before the pipeline's images are made.
    protected override void BeginProcessing()
    {
        _observer = new PowerShellObserver(this, "Measure-SampleDiversity");
        Run(() => _workflow = new DiversityWorkflow(SharedEngine.Instance, ToRequest(), ResolvePath(JUnitPath), _observer), observer: null);
    }

    protected override void EndProcessing()
    {
        var workflow = _workflow!;
        Run(() =>
        {
            if (workflow.SampleCount == 0)
            {
                return;
            }
            var outcome = workflow.Measure(_observer, StopToken);
            // Before the gate's errors, which stop here under -ErrorAction Stop.
            if (workflow.JUnitPath is { } junit && ShouldProcess(junit, "Write JUnit report"))
            {
                workflow.WriteJUnit(outcome);
            }
            foreach (var report in outcome.Reports)
            {
                WriteObject(Shown(report));
                WriteGateErrors(report.Group, report.Failures, "HybridDiffusion.DiversityBelowMinimum", report);
            }
            foreach (var distribution in outcome.Distributions)
            {
                WriteObject(distribution);
                WriteGateErrors(distribution.Group, distribution.Failures, "HybridDiffusion.DistributionAboveMaximum", distribution);
            }
            WriteObject(outcome.InceptionScores, enumerateCollection: true);
            WriteObject(outcome.Directions, enumerateCollection: true);
            // The unreadable inputs were reported as they came.
            foreach (var problem in workflow.MeasurementProblems(outcome))
            {
                WriteError(ErrorRecords.From(problem, MyInvocation.MyCommand));
            }
        }, _observer);
    }

    private void WriteGateErrors(string group, IEnumerable<string> failures, string errorId, object report)
    {
        foreach (var failure in failures)
        {
            WriteError(ErrorRecords.GateFailed(failure, group, errorId, report));
        }
    }

    // Reports compared with a reference group get the table view with the Ratio column (Format.ps1xml).
    private PSObject Shown(DiversityReport report)
    {
        var shown = new PSObject(report);
        if (ReferenceGroup is not null)
        {
            shown.TypeNames.Insert(0, typeof(DiversityReport).FullName + "#Compared");
        }
        return shown;
    }

    private DiversityRequest ToRequest() => new()
    {
        Metrics = Metric,
        GroupBy = GroupBy,
        Size = Size,
        Embedding = EmbeddingOptionsOf(this, Provider),
        MinimumDistance = Bound(nameof(MinimumDistance)) ? MinimumDistance : null,
        MinimumVendi = Bound(nameof(MinimumVendi)) ? MinimumVendi : null,
        ReferenceGroup = ReferenceGroup,
        ReferencePath = ResolvePath(ReferencePath),
        SaveReference = ResolvePath(SaveReference),
        MaximumFid = Bound(nameof(MaximumFid)) ? MaximumFid : null,
        MaximumKid = Bound(nameof(MaximumKid)) ? MaximumKid : null,
        Inception = InceptionModel is null ? null : new EmbeddingOptions
        {
            ModelPath = GetUnresolvedProviderPathFromPSPath(InceptionModel),
            Preset = InceptionPreset,
            Provider = Provider,
        },
        Directions = Bound(nameof(Directions)) ? Directions : null,
        IncludeMatrix = IncludeMatrix,
        PictureDirectory = ResolvePath(PictureDirectory),
        BootstrapResamples = BootstrapResamples,
        BootstrapSeed = BootstrapSeed,
    };

    private protected override void AddImage(GeneratedImage image) => _workflow!.Add(image);

    private protected override HybridDiffusionException? AddImageFile(string path) => _workflow!.AddFile(path);
}
