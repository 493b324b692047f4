using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HybridDiffusion.Models;

/// <summary>Helpers for reading a session's declared inputs and outputs.</summary>
internal static class OrtTensors
{
    public static NodeMetadata RequireInput(InferenceSession session, string name, string modelPath)
    {
        if (session.InputMetadata.TryGetValue(name, out var meta))
        {
            return meta;
        }
        throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
            $"'{modelPath}' has no input '{name}'; its inputs are: {Describe(session.InputMetadata)}.", modelPath);
    }

    public static string RequireOutput(InferenceSession session, string preferred, string modelPath)
    {
        if (session.OutputMetadata.ContainsKey(preferred))
        {
            return preferred;
        }
        throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
            $"'{modelPath}' has no output '{preferred}'; its outputs are: {Describe(session.OutputMetadata)}.", modelPath);
    }

    public static void RequireFloat(NodeMetadata meta, string name, string modelPath)
    {
        if (meta.ElementDataType != TensorElementType.Float)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"'{modelPath}' declares '{name}' as {meta.ElementDataType}; this version runs float32 models only.", modelPath);
        }
    }

    public static string Describe(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        string.Join(", ", metadata.Select(kv => $"{kv.Key} {kv.Value.ElementDataType}[{string.Join(",", kv.Value.Dimensions)}]"));
}
