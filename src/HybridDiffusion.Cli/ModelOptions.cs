using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Cli;

/// <summary>The model pair and session options that the generating verbs and the bench verbs share.</summary>
internal sealed class ModelOptions
{
    public Option<string?> BaseModel { get; } = new("--base-model") { Description = "Base model folder (default: the built-in demo pair)." };

    public Option<string?> DistilledModel { get; } = new("--distilled-model") { Description = "Distilled model folder (default: the built-in demo pair)." };

    public Option<ExecutionProvider> Provider { get; } = new("--provider")
    {
        Description = "auto (CUDA, else CPU), cuda or cpu.",
        DefaultValueFactory = _ => GenerationRequest.Defaults.Provider,
    };

    public Option<int> ThreadCount { get; } = new("--thread-count") { Description = "ONNX Runtime intra-op threads on the CPU (0: one per core)." };

    public IEnumerable<Option> All => new Option[] { BaseModel, DistilledModel, Provider, ThreadCount };

    /// <summary>The request with these options' models, provider and threads.</summary>
    public GenerationRequest ApplyTo(GenerationRequest request, ParseResult result) => request with
    {
        BaseModel = result.GetValue(BaseModel),
        DistilledModel = result.GetValue(DistilledModel),
        Provider = result.GetValue(Provider),
        ThreadCount = result.GetValue(ThreadCount),
    };
}
