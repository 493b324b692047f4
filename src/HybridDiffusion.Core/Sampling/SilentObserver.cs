namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The observer used when a caller passes none: no progress, no messages, every file may be written. Open so the
/// analysis layer's silent observers add their own (empty) progress on top.
/// </summary>
internal class SilentObserver : IGenerationObserver
{
    public static readonly SilentObserver Instance = new();

    protected SilentObserver()
    {
    }

    public void OnProgress(GenerationProgress progress)
    {
    }

    public bool ShouldWriteFile(string path) => true;

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
