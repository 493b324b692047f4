using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// A study as read from its file (or a PowerShell hashtable with the same keys): prompts × expanded settings × seeds,
/// how every image is made (models, provider, batch size, threads) and what is measured. Each (prompt, setting, seed)
/// is one unit whose result depends on that unit alone.
/// </summary>
public sealed record StudyDefinition
{
    /// <summary>A title for reports; not part of the study's hash.</summary>
    public string Name { get; init; } = "study";

    /// <summary>Base model folder (absolute); with neither model named the engine's default pair runs.</summary>
    public string? BaseModel { get; init; }

    public string? DistilledModel { get; init; }

    public required IReadOnlyList<string> Prompts { get; init; }

    /// <summary>The first seed of every prompt and setting; <see cref="SeedCount"/> consecutive seeds follow.</summary>
    public long SeedStart { get; init; }

    public required int SeedCount { get; init; }

    /// <summary>Images per UNet run, fixed so that every image is computed alike however the study is sharded.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>ONNX Runtime's intra-op threads, fixed for the same reason (a different count can change a rare pixel).</summary>
    public int ThreadCount { get; init; } = 1;

    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Auto;

    /// <summary>The settings after sweeps were expanded, in file order.</summary>
    public required IReadOnlyList<StudySetting> Settings { get; init; }

    /// <summary>The name of the setting every other one is compared with (the paper's base model).</summary>
    public required string Reference { get; init; }

    public StudyMeasure Measure { get; init; } = new();
}
