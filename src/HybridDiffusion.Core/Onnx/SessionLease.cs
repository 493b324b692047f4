using Microsoft.ML.OnnxRuntime;

namespace HybridDiffusion.Core.Onnx;

/// <summary>The right to run one cached session until disposed; a cleared session is disposed after its last lease.</summary>
public sealed class SessionLease : IDisposable
{
    private SessionCache.SessionEntry? _entry;

    internal SessionLease(SessionCache.SessionEntry entry) => _entry = entry;

    public InferenceSession Session => Entry.Session;

    public string ActiveProvider => Entry.ActiveProvider;

    /// <summary>A new input/output binding for this session, with the copy rule of its provider.</summary>
    internal SessionBinding CreateBinding() =>
        new(Entry.Session, copiesInputsWhenBound: Entry.ActiveProvider != SessionFactory.CpuProviderName, Entry.Settings.CopyInputsWhenBound);

    private SessionCache.SessionEntry Entry => _entry ?? throw new ObjectDisposedException(nameof(SessionLease));

    public void Dispose() => Interlocked.Exchange(ref _entry, null)?.Release();
}
