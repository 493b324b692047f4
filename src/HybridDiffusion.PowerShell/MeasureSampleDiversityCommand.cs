using System.Management.Automation;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Output;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Measure-SampleDiversity: mean pairwise distance, bootstrap interval and Vendi score per group of images (by prompt,
/// or any property), with thresholds that make CI jobs fail when diversity regresses.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "SampleDiversity", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
[OutputType(typeof(DiversityReport))]
public sealed class MeasureSampleDiversityCommand : PSCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private readonly List<DiversitySample> _samples = new();
    private readonly List<HybridDiffusionException> _unreadable = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Images from New-HybridImage, FileInfo objects (Get-ChildItem *.png) or paths.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    /// <summary>PNG files; wildcards allowed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>PNG files, taken literally (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

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

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var item in InputObject)
            {
                AddInput(item is PSObject wrapped ? wrapped.BaseObject : item);
            }
            return;
        }
        var paths = ParameterSetName == PathSet ? Path.SelectMany(Resolve) : LiteralPath.Select(GetUnresolvedProviderPathFromPSPath);
        foreach (var path in paths)
        {
            AddFile(path);
        }
    }

    protected override void EndProcessing()
    {
        var observer = new PowerShellObserver(this, "Measure-SampleDiversity");
        try
        {
            if (_samples.Count == 0)
            {
                return;
            }
            // A bad report path fails before any image is measured.
            var junit = JUnitPath is null ? null
                : OutputDestination.PrepareFile(GetUnresolvedProviderPathFromPSPath(JUnitPath), SettingId.JUnit, "the JUnit report");
            var outcome = DiversityAnalyzer.Measure(SharedEngine.Instance, ToRequest(), _samples, observer, _stop.Token);
            // Before the gate's errors, which stop here under -ErrorAction Stop.
            if (junit is not null && ShouldProcess(junit, "Write JUnit report"))
            {
                // With the files that could not be read, as the CLI's report has them.
                JUnitReport.Write(junit, outcome with { Problems = _unreadable.Concat(outcome.Problems).ToList() });
            }
            foreach (var report in outcome.Reports)
            {
                WriteObject(Shown(report));
                foreach (var failure in report.Failures)
                {
                    WriteError(new ErrorRecord(new HybridDiffusionException(HybridErrorKind.InvalidArgument, failure, report.Group),
                        "HybridDiffusion.DiversityBelowMinimum", ErrorCategory.LimitsExceeded, report));
                }
            }
            foreach (var problem in outcome.Problems)
            {
                WriteError(ErrorRecords.From(problem, MyInvocation.MyCommand));
            }
        }
        catch (Exception ex) when (ErrorRecords.Terminating(ex, MyInvocation.MyCommand) is { } record)
        {
            ErrorRecords.ThrowTerminating(this, record);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: nothing half-written is left; pictures are written whole or not at all.
        }
        finally
        {
            observer.Complete();
            _stop.Dispose();
        }
    }

    protected override void StopProcessing() => _stop.Cancel();

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
        Embedding = EmbeddingModel is null ? null : new EmbeddingOptions
        {
            ModelPath = GetUnresolvedProviderPathFromPSPath(EmbeddingModel),
            Preset = EmbeddingPreset,
            Size = Bound(nameof(EmbeddingSize)) ? EmbeddingSize : null,
            Filter = Bound(nameof(EmbeddingResize)) ? EmbeddingResize : null,
            CropFraction = Bound(nameof(EmbeddingCrop)) ? EmbeddingCrop : null,
            Mean = EmbeddingMean,
            Std = EmbeddingStd,
            Layout = Bound(nameof(EmbeddingLayout)) ? EmbeddingLayout : null,
            Provider = Provider,
        },
        MinimumDistance = Bound(nameof(MinimumDistance)) ? MinimumDistance : null,
        MinimumVendi = Bound(nameof(MinimumVendi)) ? MinimumVendi : null,
        ReferenceGroup = ReferenceGroup,
        IncludeMatrix = IncludeMatrix,
        PictureDirectory = PictureDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(PictureDirectory),
        BootstrapResamples = BootstrapResamples,
        BootstrapSeed = BootstrapSeed,
    };

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    private void AddInput(object item)
    {
        switch (item)
        {
            case GeneratedImage image:
                _samples.Add(DiversitySample.FromGenerated(image));
                break;
            case FileInfo file:
                AddFile(file.FullName);
                break;
            case string path:
                foreach (var resolved in Resolve(path))
                {
                    AddFile(resolved);
                }
                break;
            default:
                WriteError(new ErrorRecord(new ArgumentException(
                    $"Cannot measure a {item.GetType().Name}; pipe images from New-HybridImage, files from Get-ChildItem, or paths."),
                    "HybridDiffusion.UnsupportedInput", ErrorCategory.InvalidType, item));
                break;
        }
    }

    private void AddFile(string path)
    {
        try
        {
            _samples.Add(DiversitySample.FromPng(path));
        }
        catch (HybridDiffusionException ex)
        {
            // One unreadable file is reported and skipped; the rest are still measured.
            _unreadable.Add(ex);
            WriteError(ErrorRecords.From(ex, MyInvocation.MyCommand));
        }
    }

    private IEnumerable<string> Resolve(string path)
    {
        try
        {
            return GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (ItemNotFoundException ex)
        {
            WriteError(new ErrorRecord(ex, "HybridDiffusion.PathNotFound", ErrorCategory.ObjectNotFound, path));
            return Array.Empty<string>();
        }
    }
}
