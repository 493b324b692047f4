using Microsoft.ML.OnnxRuntime.Tensors;

namespace HybridDiffusion.Core.Onnx;

/// <summary>Helpers for reading a session's declared inputs and outputs; public for the analysis layer's embedding models.</summary>
public static class OrtTensors
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

    /// <summary>Float32 and float16 are fed and read as float32; anything else is an error naming the tensor.</summary>
    public static TensorElementType RequireFloatingPoint(TensorElementType type, string name, string modelPath) =>
        type is TensorElementType.Float or TensorElementType.Float16
            ? type
            : throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"'{modelPath}' declares '{name}' as {type}; expected float32 or float16.", modelPath);

    /// <summary>An input tensor of the declared floating-point type holding <paramref name="values"/>.</summary>
    public static OrtValue FloatingInput(TensorElementType type, float[] values, long[] shape, string name, string modelPath)
    {
        if (RequireFloatingPoint(type, name, modelPath) == TensorElementType.Float)
        {
            return OrtValue.CreateTensorValueFromMemory(values, shape);
        }
        var half = new Float16[values.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(values, System.Runtime.InteropServices.MemoryMarshal.Cast<Float16, Half>(half.AsSpan()));
        return OrtValue.CreateTensorValueFromMemory(half, shape);
    }

    /// <summary>A float32 copy of a float32 or float16 output.</summary>
    public static float[] ReadFloats(OrtValue value, string name, string modelPath)
    {
        var type = RequireFloatingPoint(value.GetTensorTypeAndShape().ElementDataType, name, modelPath);
        if (type == TensorElementType.Float)
        {
            return value.GetTensorDataAsSpan<float>().ToArray();
        }
        var half = value.GetTensorDataAsSpan<Float16>();
        var result = new float[half.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(System.Runtime.InteropServices.MemoryMarshal.Cast<Float16, Half>(half), result);
        return result;
    }

    public static string Describe(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        string.Join(", ", metadata.Select(kv => $"{kv.Key} {kv.Value.ElementDataType}[{string.Join(",", kv.Value.Dimensions)}]"));
}
