namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The prompt conditionings a generation session reuses, least recently used first out: a batch's prompts (and the
/// negative prompt) stay while its images are in flight, and memory stays flat however many distinct prompts a run
/// has (an SDXL prompt's conditioning is about 630 KB).
/// </summary>
internal sealed class ConditioningCache
{
    /// <summary>Kept at least: a run's negative prompt and its latest prompts, enough for the usual few seeds per prompt.</summary>
    public const int MinimumCapacity = 8;

    private readonly Dictionary<(PromptEncoder, string), LinkedListNode<((PromptEncoder, string) Key, TextConditioning Value)>> _entries = new();
    private readonly LinkedList<((PromptEncoder, string) Key, TextConditioning Value)> _recency = new();
    private int _capacity = MinimumCapacity;

    public int Count => _entries.Count;

    public int Capacity => _capacity;

    /// <summary>Makes room for every prompt of a batch in each of its prompt encoders at once, plus the negative prompts.</summary>
    public void FitBatch(int batchSize) => _capacity = Math.Max(_capacity, 2 * (batchSize + 1));

    public TextConditioning GetOrAdd(PromptEncoder encoder, string prompt, Func<TextConditioning> encode)
    {
        var key = (encoder, prompt);
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Value;
        }
        var conditioning = encode();
        _entries[key] = _recency.AddFirst((key, conditioning));
        while (_entries.Count > _capacity)
        {
            _entries.Remove(_recency.Last!.Value.Key);
            _recency.RemoveLast();
        }
        return conditioning;
    }
}
