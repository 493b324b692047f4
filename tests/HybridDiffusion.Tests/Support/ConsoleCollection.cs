namespace HybridDiffusion.Tests.Support;

/// <summary>Tests that read or write the process's console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
