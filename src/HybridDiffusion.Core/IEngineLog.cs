namespace HybridDiffusion.Core;

/// <summary>Where the engine reports what a user may want to know; PowerShell maps it to Verbose/Warning streams.</summary>
public interface IEngineLog
{
    void Verbose(string message);

    void Warning(string message);
}

/// <summary>A log that discards everything.</summary>
internal sealed class NullEngineLog : IEngineLog
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
