using System.Buffers.Binary;
using Google.Protobuf;
using HybridDiffusion.Core.Onnx.Proto;

namespace HybridDiffusion.Core.Sliders;

/// <summary>How a module's weight is laid out in the graph.</summary>
internal enum WeightLayout
{
    /// <summary>MatMul with the weight stored [in, out] (torch Linear exported as x·Wᵀ): ΔW is added transposed.</summary>
    InputByOutput,

    /// <summary>Gemm with transB = 1 or Conv: the weight is [out, in(, kh, kw)], as torch stores it.</summary>
    OutputByInput,
}

/// <summary>A UNet weight a low-rank update can change: its module path ('_'-joined), initializer, layout, shape and element type.</summary>
internal sealed record WeightTarget(string Module, string Initializer, string OpType, WeightLayout Layout, IReadOnlyList<long> Dims, int DataType);

/// <summary>
/// The LoRA-addressable weights of an exported UNet, found by torch-export node names: "/down_blocks.1/attentions.0/
/// transformer_blocks.0/attn1/to_q/MatMul" is module down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q.
/// Conv and Gemm weights are also found by their "*.weight" initializer names. Export wrappers add a scope prefix
/// ("/u/down_blocks.1/...", "u.down_blocks.1....weight"), so a LoRA module matches every weight whose path ends with
/// it at a scope boundary ('/' or '.'). Weights load from the model or its external data file, as float32.
/// </summary>
internal sealed class UNetWeights
{
    private static readonly char[] s_scopeSeparators = { '/', '.' };
    private readonly string _modelPath;
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly Dictionary<string, List<WeightTarget>> _bySuffix = new(StringComparer.Ordinal);

    private UNetWeights(string modelPath, ModelProto model)
    {
        _modelPath = modelPath;
        _initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var initializer in model.Graph.Initializer)
        {
            // ONNX Runtime accepts a repeated name (the last one wins); a slider could not say which weight it changes.
            if (!_initializers.TryAdd(initializer.Name, initializer))
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"UNet '{modelPath}' has two initializers named '{MessageText.Quote(initializer.Name)}', so sliders cannot say which weight they change. Export the model again.", modelPath);
            }
        }
        var targets = new Dictionary<string, WeightTarget>(StringComparer.Ordinal);
        foreach (var node in model.Graph.Node)
        {
            if (node.OpType is not ("MatMul" or "Gemm" or "Conv") || node.Input.Count < 2 || !_initializers.TryGetValue(node.Input[1], out var weight))
            {
                continue;
            }
            bool transB = node.OpType == "Gemm" && node.Attribute.Any(a => a.Name == "transB" && a.I == 1);
            var layout = node.OpType == "MatMul" || (node.OpType == "Gemm" && !transB) ? WeightLayout.InputByOutput : WeightLayout.OutputByInput;
            foreach (var scopes in new[] { ScopesOfNode(node.Name, node.OpType), ScopesOfInitializer(weight.Name) }.OfType<string[]>())
            {
                var target = new WeightTarget(string.Join("_", scopes), weight.Name, node.OpType, layout, weight.Dims.ToArray(), weight.DataType);
                targets.TryAdd(target.Module, target);
                IndexSuffixes(scopes, target);
            }
        }
        Targets = targets;
    }

    /// <summary>The weights by their full module path ('_'-joined, scope prefix included).</summary>
    public IReadOnlyDictionary<string, WeightTarget> Targets { get; }

    /// <summary>
    /// The distinct weights whose module path ends with <paramref name="module"/> ('_'-joined) at a scope boundary:
    /// none, one (a match), or several (ambiguous).
    /// </summary>
    public IReadOnlyList<WeightTarget> Match(string module) =>
        _bySuffix.TryGetValue(module, out var candidates) ? candidates : Array.Empty<WeightTarget>();

    public static UNetWeights Load(string modelPath)
    {
        try
        {
            using var stream = InputFile.OpenRead(modelPath, "UNet model", InputLimits.OnnxModelBytes, HybridErrorKind.InvalidModel);
            return new UNetWeights(modelPath, ModelProto.Parser.ParseFrom(stream));
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or IOException)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel, $"Cannot read the UNet graph '{modelPath}' to merge sliders: {ex.Message}", modelPath, ex);
        }
    }

    /// <summary>A weight's values as float32, from the model or its external data.</summary>
    public float[] Read(WeightTarget target)
    {
        var tensor = _initializers[target.Initializer];
        var type = (TensorProto.Types.DataType)tensor.DataType;
        int width = type switch
        {
            TensorProto.Types.DataType.Float => 4,
            TensorProto.Types.DataType.Float16 => 2,
            _ => throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"'{_modelPath}': weight {target.Initializer} is of ONNX type {tensor.DataType}; sliders merge float32 and float16 weights.", _modelPath),
        };
        long count = ElementCount(target);
        ReadOnlySpan<byte> bytes = tensor.DataLocation == TensorProto.Types.DataLocation.External ? ReadExternal(tensor, count * width) : tensor.RawData.Span;
        long stored = bytes.Length > 0 ? bytes.Length / width : type == TensorProto.Types.DataType.Float ? tensor.FloatData.Count : tensor.Int32Data.Count;
        if (stored != count || bytes.Length % width != 0)
        {
            throw Damaged(target.Initializer, $"its shape [{string.Join(", ", target.Dims)}] names {count} values but it stores {stored}");
        }
        var values = new float[count];
        switch (type)
        {
            case TensorProto.Types.DataType.Float when bytes.Length > 0:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                }
                break;
            case TensorProto.Types.DataType.Float:
                tensor.FloatData.CopyTo(values, 0);
                break;
            case TensorProto.Types.DataType.Float16 when bytes.Length > 0:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                }
                break;
            case TensorProto.Types.DataType.Float16:
                // ONNX stores float16 bit patterns in int32_data when raw_data is not used.
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)BitConverter.UInt16BitsToHalf((ushort)tensor.Int32Data[i]);
                }
                break;
        }
        return values;
    }

    // "/u/down_blocks.1/attn1/to_q/MatMul" → [u, down_blocks, 1, attn1, to_q].
    private static string[]? ScopesOfNode(string nodeName, string opType)
    {
        var parts = nodeName.Trim('/').Split('/');
        if (parts.Length < 2 || !parts[^1].StartsWith(opType, StringComparison.Ordinal))
        {
            return null;
        }
        return string.Join('/', parts[..^1]).Split(s_scopeSeparators, StringSplitOptions.RemoveEmptyEntries);
    }

    // "u.down_blocks.0.resnets.0.conv1.weight" → [u, down_blocks, 0, resnets, 0, conv1].
    private static string[]? ScopesOfInitializer(string name) =>
        name.EndsWith(".weight", StringComparison.Ordinal)
            ? name[..^".weight".Length].Split(s_scopeSeparators, StringSplitOptions.RemoveEmptyEntries)
            : null;

    // Every tail of the path that starts at a scope boundary names the weight; one weight is listed once per tail.
    private void IndexSuffixes(string[] scopes, WeightTarget target)
    {
        for (int start = 0; start < scopes.Length; start++)
        {
            var suffix = string.Join("_", scopes[start..]);
            if (!_bySuffix.TryGetValue(suffix, out var candidates))
            {
                _bySuffix[suffix] = candidates = new List<WeightTarget>();
            }
            if (!candidates.Any(c => c.Initializer == target.Initializer))
            {
                candidates.Add(target);
            }
        }
    }

    // The weight's count of values, bounded as a slider can merge it (one float32 array).
    private long ElementCount(WeightTarget target)
    {
        long count = 1;
        foreach (var size in target.Dims)
        {
            if (size < 0 || (size > 0 && count > Array.MaxLength / size))
            {
                throw Damaged(target.Initializer, $"its shape [{string.Join(", ", target.Dims)}] is not the shape of a weight a slider can change");
            }
            count *= size;
        }
        return count;
    }

    // Only the tensor's own bytes, as many as its shape names: the external file may be gigabytes, and its "length" key
    // may be absent or wrong. The file must lie inside the model's folder, as ONNX Runtime requires too.
    private byte[] ReadExternal(TensorProto tensor, long expectedBytes)
    {
        string? Get(string key) => tensor.ExternalData.FirstOrDefault(e => e.Key == key)?.Value;
        var folder = Path.GetFullPath(Path.GetDirectoryName(_modelPath)!);
        var name = Get("location") ?? "";
        var location = Path.GetFullPath(Path.Combine(folder, name));
        if (name.Length == 0 || Path.IsPathRooted(name) || !location.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Damaged(tensor.Name, $"its external data location '{MessageText.Quote(name)}' is not a file name inside the model's folder");
        }
        if (!long.TryParse(Get("offset") ?? "0", System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset)
            || (Get("length") is string length && length != expectedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            throw Damaged(tensor.Name, $"its external data offset or length does not fit its shape ({expectedBytes} bytes)");
        }
        using var stream = InputFile.OpenRead(location, "External data file", InputLimits.ExternalDataBytes, HybridErrorKind.InvalidModel);
        if (offset > stream.Length - expectedBytes)
        {
            throw Damaged(tensor.Name, $"its {expectedBytes} bytes at offset {offset} run past the end of '{location}' ({stream.Length} bytes)");
        }
        var buffer = new byte[expectedBytes];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }

    private HybridDiffusionException Damaged(string initializer, string problem) => new(HybridErrorKind.InvalidModel,
        $"UNet '{_modelPath}': weight {MessageText.Quote(initializer)} cannot be read to merge sliders: {problem}. Export or copy the model again.", _modelPath);
}
