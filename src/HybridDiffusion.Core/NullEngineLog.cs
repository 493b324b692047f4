namespace HybridDiffusion.Core;

/// <summary>A log that discards everything; for callers above the core that have no log to give (the demo writer, a study's merge).</summary>
public sealed class NullEngineLog : IEngineLog
{
    public static readonly NullEngineLog Instance = new();

    private NullEngineLog()
    {
    }

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
