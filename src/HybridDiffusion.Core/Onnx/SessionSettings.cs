using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Core.Onnx;

/// <summary>How a session is created. Part of the session cache key: different settings give different sessions.</summary>
/// <param name="Provider">The execution provider to ask for.</param>
/// <param name="DeviceId">The CUDA device ordinal.</param>
/// <param name="IntraOpThreads">Threads inside one operator; 0 lets ONNX Runtime choose.</param>
public sealed record SessionSettings(ExecutionProvider Provider = ExecutionProvider.Auto, int DeviceId = 0, int IntraOpThreads = 0)
{
    public static SessionSettings Default { get; } = new();

    /// <summary>
    /// Test seam: the session's bindings copy host inputs when they are bound, as a CUDA session's do, so the rule that
    /// a changed input is bound again before the next run (<see cref="SessionBinding"/>) is checked on machines without a GPU.
    /// </summary>
    internal bool CopyInputsWhenBound { get; init; }
}
