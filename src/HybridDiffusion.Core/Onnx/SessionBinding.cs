namespace HybridDiffusion.Core.Onnx;

/// <summary>
/// An OrtIoBinding that makes explicit when the session sees an input. ONNX Runtime reads a host (CPU-memory) OrtValue
/// bound to a CPU session in place, but copies it to the device when it is bound to a session that wants it elsewhere
/// (CUDA), once, at binding time: later writes to the host buffer are never seen there. So whoever rewrites a bound
/// input marks it with <see cref="Refresh"/> before <see cref="Run"/>: a binding that copies binds it again (a fresh
/// device copy, while unchanged inputs keep theirs), one that reads in place does nothing, which keeps the CPU path free
/// of per-run work and allocation. Bound outputs are host buffers the session fills (from the device, at the end of
/// each run).
/// </summary>
internal sealed class SessionBinding : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly Dictionary<string, OrtValue>? _snapshots;
    private bool _rebound;

    /// <param name="copiesInputsWhenBound">The session's provider copies host inputs when they are bound (any but the CPU's).</param>
    /// <param name="snapshotInputs">Test seam: give a CPU session the same bind-time copies, into host buffers of the binding's own.</param>
    public SessionBinding(InferenceSession session, bool copiesInputsWhenBound, bool snapshotInputs)
    {
        _session = session;
        _binding = session.CreateIoBinding();
        _snapshots = snapshotInputs ? new Dictionary<string, OrtValue>() : null;
        CopiesInputsWhenBound = copiesInputsWhenBound || snapshotInputs;
    }

    /// <summary>Whether the session reads a copy made at binding time rather than the bound host memory.</summary>
    public bool CopiesInputsWhenBound { get; }

    public void BindInput(string name, OrtValue value) => _binding.BindInput(name, _snapshots is null ? value : Snapshot(name, value));

    /// <summary>Makes the session see <paramref name="value"/>'s current contents in its next run.</summary>
    public void Refresh(string name, OrtValue value)
    {
        if (CopiesInputsWhenBound)
        {
            BindInput(name, value);
            _rebound = true;
        }
    }

    public void BindOutput(string name, OrtValue value) => _binding.BindOutput(name, value);

    public void Run(RunOptions runOptions)
    {
        if (_rebound)
        {
            // The copies made by binding complete before the run's kernels read them, whatever stream they went on.
            _binding.SynchronizeBoundInputs();
            _rebound = false;
        }
        _session.RunWithBinding(runOptions, _binding);
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var copy in _snapshots?.Values ?? Enumerable.Empty<OrtValue>())
        {
            copy.Dispose();
        }
    }

    // The seam's "device": one host tensor per input, overwritten at every binding, as the provider's device copy is.
    private OrtValue Snapshot(string name, OrtValue value)
    {
        if (!_snapshots!.TryGetValue(name, out var copy))
        {
            var info = value.GetTensorTypeAndShape();
            copy = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, info.ElementDataType, info.Shape);
            _snapshots[name] = copy;
        }
        value.GetTensorMutableRawData().CopyTo(copy.GetTensorMutableRawData());
        return copy;
    }
}
