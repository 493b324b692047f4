using System.CommandLine;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Core.Onnx;

namespace HybridDiffusion.Cli;

/// <summary>The model pair and session options that the generating verbs and the bench verbs share.</summary>
internal sealed class ModelOptions
{
    public Option<string?> BaseModel { get; } = new("--base-model") { Description = "Base model folder (default: the built-in demo pair)." };

    public Option<string?> DistilledModel { get; } = new("--distilled-model") { Description = "Distilled model folder (default: the built-in demo pair)." };

    public Option<ExecutionProvider> Provider { get; } = new("--provider") { Description = "auto (CUDA, else CPU), cuda or cpu.", DefaultValueFactory = _ => ExecutionProvider.Auto };

    public Option<int> ThreadCount { get; } = new("--thread-count") { Description = "ONNX Runtime intra-op threads on the CPU (0: one per core)." };

    public IEnumerable<Option> All => new Option[] { BaseModel, DistilledModel, Provider, ThreadCount };

    public SessionSettings SessionFor(ParseResult result)
    {
        int threads = result.GetValue(ThreadCount);
        if (threads < 0)
        {
            throw HybridDiffusionException.Argument("ThreadCount", $"--thread-count must be 0 (one per core) or more; got {threads}.");
        }
        return new SessionSettings(result.GetValue(Provider), IntraOpThreads: threads);
    }
}
