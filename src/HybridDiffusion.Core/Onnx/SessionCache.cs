using System.Collections.Concurrent;
using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Core.Onnx;

/// <summary>
/// A cache of ONNX Runtime sessions, keyed by model file, provider and settings; each <see cref="Engine.HybridEngine"/> owns one.
/// Sessions are created lazily and once, even when several threads ask at the same time. Callers hold a
/// <see cref="SessionLease"/> while they run a session; clearing the cache disposes an entry when its last lease ends.
/// Disposing the cache clears it for good: every session is released (a leased one when its lease ends), and no new one
/// is created.
/// </summary>
public sealed class SessionCache : IDisposable
{
    private readonly ConcurrentDictionary<SessionKey, Lazy<SessionEntry>> _entries = new();
    private readonly SessionFactory _factory = new();
    private volatile bool _disposed;

    /// <summary>Gets (creating on first use) the session for a model file and leases it to the caller.</summary>
    /// <param name="variant">Names a modified copy of the model (merged sliders); null is the model as stored.</param>
    /// <param name="overrides">Builds the variant's replacement initializers; called only when the session is created.</param>
    public SessionLease Acquire(string modelPath, SessionSettings settings, IEngineLog? log = null, string? variant = null,
        Func<InitializerOverrides>? overrides = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"Model file '{fullPath}' does not exist.", fullPath);
        }
        var key = new SessionKey(fullPath, settings, variant);
        while (true)
        {
            var lazy = _entries.GetOrAdd(key, k => new Lazy<SessionEntry>(() => SessionEntry.Load(k, _factory, log ?? NullEngineLog.Instance, overrides)));
            SessionEntry entry;
            try
            {
                entry = lazy.Value;
            }
            catch
            {
                // A failed load must not stay cached: the next call retries (the user may have fixed the file).
                _entries.TryRemove(new KeyValuePair<SessionKey, Lazy<SessionEntry>>(key, lazy));
                throw;
            }
            if (entry.TryLease(out var lease))
            {
                if (_disposed)
                {
                    // Disposed while this session loaded: it must not outlive the cache.
                    lease.Dispose();
                    Clear();
                    throw new ObjectDisposedException(nameof(SessionCache));
                }
                return lease;
            }
            // The entry was cleared between lookup and lease; look again.
        }
    }

    /// <summary>What is loaded now.</summary>
    public IReadOnlyList<SessionInfo> List() =>
        _entries.Values.Where(l => l.IsValueCreated).Select(l => l.Value.Describe()).OrderBy(i => i.ModelPath, StringComparer.Ordinal).ToList();

    /// <summary>Releases the sessions that match (all when no filter); returns how many were released.</summary>
    public int Clear(Func<SessionInfo, bool>? filter = null)
    {
        int released = 0;
        foreach (var (key, lazy) in _entries.ToArray())
        {
            if (!lazy.IsValueCreated || (filter is not null && !filter(lazy.Value.Describe())))
            {
                continue;
            }
            if (_entries.TryRemove(new KeyValuePair<SessionKey, Lazy<SessionEntry>>(key, lazy)))
            {
                lazy.Value.Retire();
                released++;
            }
        }
        return released;
    }

    public void Dispose()
    {
        _disposed = true;
        Clear();
    }

    internal sealed record SessionKey(string ModelPath, SessionSettings Settings, string? Variant);

    internal sealed class SessionEntry
    {
        private readonly object _gate = new();
        private readonly SessionKey _key;
        private readonly DateTimeOffset _loadedAt = DateTimeOffset.UtcNow;
        private DateTimeOffset _lastUsed = DateTimeOffset.UtcNow;
        private int _leases;
        private bool _retired;

        private readonly InitializerOverrides? _overrides;
        private readonly ConcurrentDictionary<Type, object> _attached = new();

        private SessionEntry(SessionKey key, InferenceSession session, ExecutionProvider activeProvider, InitializerOverrides? overrides)
        {
            _key = key;
            _overrides = overrides;
            Session = session;
            ActiveProvider = activeProvider;
            ModelBytes = OnnxFileSize.Of(key.ModelPath);
        }

        public InferenceSession Session { get; }

        /// <summary>The provider the session runs on: Cpu or Cuda.</summary>
        public ExecutionProvider ActiveProvider { get; }

        public SessionSettings Settings => _key.Settings;

        public long ModelBytes { get; }

        public static SessionEntry Load(SessionKey key, SessionFactory factory, IEngineLog log, Func<InitializerOverrides>? overrides)
        {
            var values = overrides?.Invoke();
            try
            {
                var (session, provider) = factory.Create(key.ModelPath, key.Settings, log, values);
                log.Verbose($"Loaded '{key.ModelPath}'{(key.Variant is null ? "" : $" ({key.Variant})")} on {SessionFactory.NameOf(provider)}.");
                return new SessionEntry(key, session, provider, values);
            }
            catch
            {
                values?.Dispose();
                throw;
            }
        }

        public bool TryLease(out SessionLease lease)
        {
            lock (_gate)
            {
                if (_retired)
                {
                    lease = null!;
                    return false;
                }
                _leases++;
                _lastUsed = DateTimeOffset.UtcNow;
                lease = new SessionLease(this);
                return true;
            }
        }

        public void Release()
        {
            lock (_gate)
            {
                _leases--;
                _lastUsed = DateTimeOffset.UtcNow;
                if (_retired && _leases == 0)
                {
                    DisposeSession();
                }
            }
        }

        public void Retire()
        {
            lock (_gate)
            {
                _retired = true;
                if (_leases == 0)
                {
                    DisposeSession();
                }
            }
        }

        /// <summary>State derived from this session's outputs, one object per type, created on first use and released with the session.</summary>
        public T Attached<T>(Func<T> create) where T : class => (T)_attached.GetOrAdd(typeof(T), _ => create());

        private void DisposeSession()
        {
            Session.Dispose();
            _overrides?.Dispose();
            _attached.Clear();
        }

        public SessionInfo Describe()
        {
            lock (_gate)
            {
                return new SessionInfo(_key.ModelPath, _key.Settings.Provider, SessionFactory.NameOf(ActiveProvider), ModelBytes, _loadedAt, _lastUsed,
                    _leases, _key.Variant);
            }
        }
    }
}
