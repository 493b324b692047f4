using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Save-HybridImage: writes images made in memory (New-HybridImage without -OutputDirectory) to PNG files with their
/// settings as text, named as New-HybridImage names them; -WhatIf and -Confirm decide per file.
/// </summary>
[Cmdlet(VerbsData.Save, "HybridImage", SupportsShouldProcess = true)]
[OutputType(typeof(GeneratedImage))]
public sealed class SaveHybridImageCommand : PSCmdlet
{
    private ImageExport? _export;

    /// <summary>Images from New-HybridImage, usually from the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public GeneratedImage[] InputObject { get; set; } = Array.Empty<GeneratedImage>();

    /// <summary>Folder for the PNG files (created when missing).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [Alias("OutputPath")]
    public string OutputDirectory { get; set; } = "";

    /// <summary>Write each saved image, with its Path, to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _export = new ImageExport(GetUnresolvedProviderPathFromPSPath(OutputDirectory));
        }
        catch (Exception ex) when (ErrorRecords.Terminating(ex, MyInvocation.MyCommand) is { } record)
        {
            ThrowTerminatingError(record);
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var image in InputObject)
        {
            var path = _export!.PathFor(image);
            if (!ShouldProcess(path, "Write PNG file"))
            {
                continue;
            }
            try
            {
                var saved = _export.Write(image, path);
                if (PassThru)
                {
                    WriteObject(saved);
                }
            }
            catch (Exception ex) when (ErrorRecords.Terminating(ex, MyInvocation.MyCommand) is { } record)
            {
                ThrowTerminatingError(record);
            }
        }
    }
}
