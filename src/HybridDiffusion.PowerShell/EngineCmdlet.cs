namespace HybridDiffusion.PowerShell;

/// <summary>
/// A cmdlet that calls the engine, whose work can run long: Ctrl+C (StopProcessing) cancels <see cref="StopToken"/>,
/// <see cref="Run"/> ends the work with a terminating error record for a failure and quietly for a stop, and paths are
/// resolved through the provider before the engine sees them.
/// </summary>
public abstract class EngineCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
    protected CancellationToken StopToken => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Called by PowerShell when the pipeline is done with this cmdlet, however it ended.</summary>
    public void Dispose() => _stop.Dispose();

    /// <summary>A path as the engine takes it (PowerShell drives and the current location resolved); null stays null.</summary>
    protected string? ResolvePath(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Whether the user gave the parameter: for the parameters whose empty value means "the engine chooses".</summary>
    protected bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <summary>The embedding model the parameters name, or null without -EmbeddingModel; only the overrides given replace the preset's.</summary>
    /// <param name="provider">The cmdlet's own -Provider, shared with its other models.</param>
    private protected EmbeddingOptions? EmbeddingOptionsOf(IEmbeddingParameters parameters, ExecutionProvider provider) =>
        parameters.EmbeddingModel is null ? null : new EmbeddingOptions
        {
            ModelPath = GetUnresolvedProviderPathFromPSPath(parameters.EmbeddingModel),
            Preset = parameters.EmbeddingPreset,
            Size = Bound(nameof(parameters.EmbeddingSize)) ? parameters.EmbeddingSize : null,
            Filter = Bound(nameof(parameters.EmbeddingResize)) ? parameters.EmbeddingResize : null,
            CropFraction = Bound(nameof(parameters.EmbeddingCrop)) ? parameters.EmbeddingCrop : null,
            Mean = parameters.EmbeddingMean,
            Std = parameters.EmbeddingStd,
            Layout = Bound(nameof(parameters.EmbeddingLayout)) ? parameters.EmbeddingLayout : null,
            Provider = provider,
        };

    /// <summary>Runs the body, turning engine errors into terminating errors and Ctrl+C into a quiet stop; the progress bar is closed either way.</summary>
    private protected void Run(Action body, PowerShellObserver? observer)
    {
        try
        {
            body();
        }
        catch (Exception ex) when (ErrorRecords.Terminating(ex, MyInvocation.MyCommand) is { } record)
        {
            ErrorRecords.ThrowTerminating(this, record);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: the engine stopped at its next check; every file is written whole or not at all, so none is left half-written.
        }
        finally
        {
            observer?.Complete();
        }
    }
}
