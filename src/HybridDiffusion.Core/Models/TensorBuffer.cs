using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HybridDiffusion.Core.Models;

/// <summary>
/// A pre-allocated tensor the engine reads and writes as float32 while the session sees its declared element type.
/// For float32 the OrtValue wraps the float array itself; for float16 it wraps a half array, and
/// <see cref="Upload"/>/<see cref="Download"/> convert at the boundary (SIMD), so scheduler math always runs in fp32.
/// </summary>
internal sealed class TensorBuffer : IDisposable
{
    private readonly float[] _values;
    private readonly Float16[]? _half;

    public TensorBuffer(TensorElementType type, long[] shape, string name, string modelPath)
    {
        int count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        _values = new float[count];
        if (OrtTensors.RequireFloatingPoint(type, name, modelPath) == TensorElementType.Float16)
        {
            _half = new Float16[count];
            Value = OrtValue.CreateTensorValueFromMemory(_half, shape);
        }
        else
        {
            Value = OrtValue.CreateTensorValueFromMemory(_values, shape);
        }
    }

    /// <summary>The float32 view the engine works in.</summary>
    public Span<float> Values => _values;

    public OrtValue Value { get; }

    /// <summary>Makes the session's copy current after <see cref="Values"/> changed (no-op for float32).</summary>
    public void Upload()
    {
        if (_half is not null)
        {
            TensorPrimitives.ConvertToHalf(_values, MemoryMarshal.Cast<Float16, Half>(_half.AsSpan()));
        }
    }

    /// <summary>Makes <see cref="Values"/> current after the session wrote its copy (no-op for float32).</summary>
    public void Download()
    {
        if (_half is not null)
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<Float16, Half>(_half.AsSpan()), _values);
        }
    }

    public void Dispose() => Value.Dispose();
}
