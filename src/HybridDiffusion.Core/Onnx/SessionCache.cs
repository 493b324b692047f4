using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Core.Onnx;

/// <summary>
/// The process-wide cache of ONNX Runtime sessions, keyed by model file, provider and settings.
/// Sessions are created lazily and once, even when several threads ask at the same time. Callers hold a
/// <see cref="SessionLease"/> while they run a session; clearing the cache disposes an entry when its last lease ends.
/// </summary>
public sealed class SessionCache : IDisposable
{
    private readonly ConcurrentDictionary<SessionKey, Lazy<SessionEntry>> _entries = new();

    /// <summary>The cache that the cmdlets and the CLI share.</summary>
    public static SessionCache Shared { get; } = new();

    /// <summary>Gets (creating on first use) the session for a model file and leases it to the caller.</summary>
    /// <param name="variant">Names a modified copy of the model (merged sliders); null is the model as stored.</param>
    /// <param name="overrides">Builds the variant's replacement initializers; called only when the session is created.</param>
    public SessionLease Acquire(string modelPath, SessionSettings settings, IEngineLog? log = null, string? variant = null,
        Func<InitializerOverrides>? overrides = null)
    {
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"Model file '{fullPath}' does not exist.", fullPath);
        }
        var key = new SessionKey(fullPath, settings, variant);
        while (true)
        {
            var lazy = _entries.GetOrAdd(key, k => new Lazy<SessionEntry>(() => SessionEntry.Load(k, log ?? NullEngineLog.Instance, overrides)));
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

    public void Dispose() => Clear();

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

        private SessionEntry(SessionKey key, InferenceSession session, string activeProvider, InitializerOverrides? overrides)
        {
            _key = key;
            _overrides = overrides;
            Session = session;
            ActiveProvider = activeProvider;
            ModelBytes = OnnxFileSize.Of(key.ModelPath);
        }

        public InferenceSession Session { get; }

        public string ActiveProvider { get; }

        public SessionSettings Settings => _key.Settings;

        public long ModelBytes { get; }

        public static SessionEntry Load(SessionKey key, IEngineLog log, Func<InitializerOverrides>? overrides)
        {
            var values = overrides?.Invoke();
            try
            {
                var (session, provider) = SessionFactory.Create(key.ModelPath, key.Settings, log, values);
                log.Verbose($"Loaded '{key.ModelPath}'{(key.Variant is null ? "" : $" ({key.Variant})")} on {provider}.");
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

        private void DisposeSession()
        {
            Session.Dispose();
            _overrides?.Dispose();
        }

        public SessionInfo Describe()
        {
            lock (_gate)
            {
                return new SessionInfo(_key.ModelPath, _key.Settings.Provider, ActiveProvider, ModelBytes, _loadedAt, _lastUsed, _leases, _key.Variant);
            }
        }
    }
}
