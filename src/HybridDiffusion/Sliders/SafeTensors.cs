using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HybridDiffusion.Sliders;

/// <summary>One tensor of a safetensors file, decoded to float32.</summary>
public sealed record SafeTensor(string Name, string DType, IReadOnlyList<long> Shape, float[] Values);

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor name to its dtype,
/// shape and [begin, end) byte offsets into the data that follows, then the raw little-endian data. F32, F16 and BF16
/// are decoded to float32; damaged files fail with a message that names the file and the problem.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static IReadOnlyDictionary<string, SafeTensor> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HybridDiffusionException(ex is FileNotFoundException or DirectoryNotFoundException ? HybridErrorKind.ModelNotFound : HybridErrorKind.IOFailure,
                $"Cannot read slider file '{path}': {ex.Message}", path, ex);
        }
        return Parse(bytes, path);
    }

    public static IReadOnlyDictionary<string, SafeTensor> Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
        {
            throw Invalid(source, $"it is {bytes.Length} bytes long, shorter than the 8-byte header length");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength < 2 || headerLength > MaxHeaderBytes || (long)headerLength > bytes.Length - 8)
        {
            throw Invalid(source, $"its header length ({headerLength} bytes) does not fit the file ({bytes.Length} bytes); " +
                "the file is truncated or not a safetensors file");
        }
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(bytes.Slice(8, (int)headerLength)))?.AsObject()
                ?? throw new JsonException("the header is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            throw Invalid(source, $"its header is not valid JSON ({ex.Message}); it is not a safetensors file");
        }
        var data = bytes[(8 + (int)headerLength)..];
        var tensors = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                continue;
            }
            try
            {
                var entry = node!.AsObject();
                var dtype = entry["dtype"]!.GetValue<string>();
                var shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                var offsets = entry["data_offsets"]!.AsArray().Select(o => o!.GetValue<long>()).ToArray();
                long count = shape.Aggregate(1L, (a, b) => a * b);
                int width = dtype switch
                {
                    "F32" => 4,
                    "F16" or "BF16" => 2,
                    _ => throw Invalid(source, $"tensor '{name}' has dtype {dtype}; supported: F32, F16, BF16"),
                };
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length)
                {
                    throw Invalid(source, $"tensor '{name}' lies at bytes {string.Join("..", offsets)} but the data holds {data.Length} bytes; the file is truncated");
                }
                if (offsets[1] - offsets[0] != count * width)
                {
                    throw Invalid(source, $"tensor '{name}' of shape [{string.Join(", ", shape)}] {dtype} needs {count * width} bytes but has {offsets[1] - offsets[0]}");
                }
                tensors[name] = new SafeTensor(name, dtype, shape, Decode(data.Slice((int)offsets[0], (int)(offsets[1] - offsets[0])), dtype));
            }
            catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or FormatException)
            {
                throw Invalid(source, $"the header entry for '{name}' lacks dtype, shape or data_offsets");
            }
        }
        return tensors;
    }

    /// <summary>Writes float32 tensors (sorted by name, as the reference implementation does).</summary>
    public static byte[] Write(IEnumerable<(string Name, long[] Shape, float[] Values)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is not null)
        {
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        }
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        long offset = 0;
        foreach (var (name, shape, values) in ordered)
        {
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + values.Length * 4L)),
            };
            offset += values.Length * 4L;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        foreach (var (_, _, values) in ordered)
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return stream.ToArray();
    }

    private static float[] Decode(ReadOnlySpan<byte> bytes, string dtype)
    {
        int width = dtype == "F32" ? 4 : 2;
        var values = new float[bytes.Length / width];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]),
                // bfloat16 is the upper half of a float32.
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16),
            };
        }
        return values;
    }

    private static HybridDiffusionException Invalid(string source, string problem) =>
        new(HybridErrorKind.InvalidModel, $"'{source}' cannot be read as a safetensors slider/LoRA file: {problem}.", source);
}
