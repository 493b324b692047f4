namespace HybridDiffusion.PowerShell;

/// <summary>
/// A cmdlet that measures images handed to it as pipeline objects (images from New-HybridImage, files from Get-ChildItem,
/// paths), or named by -Path (wildcards) or -LiteralPath. It passes each to its workflow as it comes; an input that
/// cannot be read is reported as an error of its own and the rest are still measured.
/// </summary>
public abstract class ImageInputCmdlet : EngineCmdlet
{
    private protected const string InputObjectSet = "InputObject";
    private protected const string PathSet = "Path";
    private protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Images from New-HybridImage, FileInfo objects (Get-ChildItem *.png) or paths.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    /// <summary>PNG files; wildcards allowed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>PNG files, taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Hands a generated image to the workflow.</summary>
    private protected abstract void AddImage(GeneratedImage image);

    /// <summary>Hands a PNG file to the workflow; the problem when it cannot be read, else null.</summary>
    private protected abstract HybridDiffusionException? AddImageFile(string path);

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

    private void AddInput(object item)
    {
        switch (item)
        {
            case GeneratedImage image:
                AddImage(image);
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

    // One unreadable file is reported and skipped; the rest are still measured.
    private void AddFile(string path)
    {
        if (AddImageFile(path) is { } problem)
        {
            WriteError(ErrorRecords.From(problem, MyInvocation.MyCommand));
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
