namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The transition points an engine's probes chose, least recently used first out, so a prompt is probed once per
/// engine however many requests (or study shards on one engine) ask for it, and memory stays flat however many
/// prompts a run has. Thread-safe: an engine may serve several commands at once (two that probe the same new prompt
/// at once each probe it, with the same result).
/// </summary>
internal sealed class TransitionChoices
{
    public const int Capacity = 256;

    private readonly object _gate = new();
    private readonly Dictionary<TransitionKey, LinkedListNode<(TransitionKey Key, TransitionChoice Choice)>> _entries = new();
    private readonly LinkedList<(TransitionKey Key, TransitionChoice Choice)> _recency = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The cached choice (marked <see cref="TransitionChoice.Cached"/>), or the one <paramref name="probe"/> makes, then kept.</summary>
    public TransitionChoice GetOrProbe(TransitionKey key, Func<TransitionChoice> probe)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Choice with { Cached = true };
            }
        }
        var choice = probe();
        lock (_gate)
        {
            if (!_entries.ContainsKey(key))
            {
                _entries[key] = _recency.AddFirst((key, choice));
                if (_entries.Count > Capacity)
                {
                    _entries.Remove(_recency.Last!.Value.Key);
                    _recency.RemoveLast();
                }
            }
        }
        return choice;
    }
}
