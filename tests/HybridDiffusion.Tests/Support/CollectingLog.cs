using System.Collections.Concurrent;
using HybridDiffusion.Core;

namespace HybridDiffusion.Tests.Support;

/// <summary>An engine log that keeps every message, from any thread; warnings start with "warning: ".</summary>
internal sealed class CollectingLog : IEngineLog
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public void Verbose(string message) => _messages.Enqueue(message);

    public void Warning(string message) => _messages.Enqueue("warning: " + message);
}
