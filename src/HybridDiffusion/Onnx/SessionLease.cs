using Microsoft.ML.OnnxRuntime;

namespace HybridDiffusion.Onnx;

/// <summary>The right to run one cached session until disposed; a cleared session is disposed after its last lease.</summary>
public sealed class SessionLease : IDisposable
{
    private SessionCache.SessionEntry? _entry;

    internal SessionLease(SessionCache.SessionEntry entry) => _entry = entry;

    public InferenceSession Session => (_entry ?? throw new ObjectDisposedException(nameof(SessionLease))).Session;

    public string ActiveProvider => (_entry ?? throw new ObjectDisposedException(nameof(SessionLease))).ActiveProvider;

    public void Dispose() => Interlocked.Exchange(ref _entry, null)?.Release();
}
