namespace HybridDiffusion.Core;

/// <summary>Where the engine reports what a user may want to know; PowerShell maps it to Verbose/Warning streams.</summary>
public interface IEngineLog
{
    void Verbose(string message);

    void Warning(string message);
}
