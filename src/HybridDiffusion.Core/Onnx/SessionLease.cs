using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Core.Onnx;

/// <summary>The right to run one cached session until disposed; a cleared session is disposed after its last lease.</summary>
public sealed class SessionLease : IDisposable
{
    private SessionCache.SessionEntry? _entry;

    internal SessionLease(SessionCache.SessionEntry entry) => _entry = entry;

    public InferenceSession Session => Entry.Session;

    /// <summary>The provider the session runs on: Cpu or Cuda.</summary>
    public ExecutionProvider ActiveProvider => Entry.ActiveProvider;

    /// <summary>
    /// State derived from the session's outputs (an embedding model's memoised results), one object per type: created on
    /// first use, shared by every lease of the session, and released with it when the session leaves the cache.
    /// </summary>
    public T Attached<T>(Func<T> create) where T : class => Entry.Attached(create);

    /// <summary>A new input/output binding for this session, with the copy rule of its provider.</summary>
    internal SessionBinding CreateBinding() =>
        new(Entry.Session, copiesInputsWhenBound: Entry.ActiveProvider != ExecutionProvider.Cpu, Entry.Settings.CopyInputsWhenBound);

    private SessionCache.SessionEntry Entry => _entry ?? throw new ObjectDisposedException(nameof(SessionLease));

    public void Dispose() => Interlocked.Exchange(ref _entry, null)?.Release();
}
