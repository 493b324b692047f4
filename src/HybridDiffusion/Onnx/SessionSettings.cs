namespace HybridDiffusion.Onnx;

/// <summary>How a session is created. Part of the session cache key: different settings give different sessions.</summary>
/// <param name="Provider">The execution provider to ask for.</param>
/// <param name="DeviceId">The CUDA device ordinal.</param>
/// <param name="IntraOpThreads">Threads inside one operator; 0 lets ONNX Runtime choose.</param>
public sealed record SessionSettings(ExecutionProvider Provider = ExecutionProvider.Auto, int DeviceId = 0, int IntraOpThreads = 0)
{
    public static SessionSettings Default { get; } = new();
}
