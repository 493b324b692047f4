namespace HybridDiffusion.Contracts.Onnx;

/// <summary>A snapshot of one cached session, for listing what is loaded.</summary>
public sealed record SessionInfo(
    string ModelPath,
    ExecutionProvider RequestedProvider,
    string ActiveProvider,
    long ModelBytes,
    DateTimeOffset LoadedAt,
    DateTimeOffset LastUsed,
    int ActiveLeases,
    string? Variant = null);
