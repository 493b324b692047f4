using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HybridDiffusion.Core.Sliders;

/// <summary>One tensor of a safetensors file, decoded to float32.</summary>
internal sealed record SafeTensor(string Name, string DType, IReadOnlyList<long> Shape, float[] Values);

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor name to its dtype,
/// shape and [begin, end) byte offsets into the data that follows, then the raw little-endian data. F32, F16 and BF16
/// are decoded to float32; damaged files fail with a message that names the file and the problem.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    internal static IReadOnlyDictionary<string, SafeTensor> Read(string path)
    {
        return Parse(InputFile.ReadAllBytes(path, "Slider file", InputLimits.LoraBytes, HybridErrorKind.InvalidModel), path);
    }

    /// <summary>
    /// Decodes a whole file. Shapes must agree with the bytes present and tensors may not overlap, so what is allocated
    /// stays a small multiple of the bytes given, whatever shapes and offsets the header claims.
    /// </summary>
    internal static IReadOnlyDictionary<string, SafeTensor> Parse(ReadOnlyMemory<byte> bytes, string source)
    {
        if (bytes.Length < 8)
        {
            throw Invalid(source, $"it is {bytes.Length} bytes long, shorter than the 8-byte header length");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Span);
        if (headerLength > MaxHeaderBytes)
        {
            throw Invalid(source, $"its header length ({headerLength} bytes) is over the limit of {InputFile.Size(MaxHeaderBytes)} for a header; " +
                "real headers are a few hundred KB, so it is not a safetensors file");
        }
        if (headerLength < 2 || (long)headerLength > bytes.Length - 8)
        {
            throw Invalid(source, $"its header length ({headerLength} bytes) does not fit the file ({bytes.Length} bytes); " +
                "the file is truncated or not a safetensors file");
        }
        var data = bytes[(8 + (int)headerLength)..];
        using var header = ParseHeader(bytes.Slice(8, (int)headerLength), source);
        var entries = new List<(string Name, string DType, long[] Shape, long Begin, long End)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in header.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                continue;
            }
            if (!names.Add(property.Name))
            {
                throw Invalid(source, $"tensor '{MessageText.Quote(property.Name)}' is listed twice in the header");
            }
            entries.Add(Entry(property, data.Length, source));
        }
        // Sorted by offset, each tensor must start at or after the end of the one before.
        var byOffset = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        for (int i = 1; i < byOffset.Count; i++)
        {
            if (byOffset[i].Begin < byOffset[i - 1].End)
            {
                throw Invalid(source, $"tensors '{MessageText.Quote(byOffset[i - 1].Name)}' and '{MessageText.Quote(byOffset[i].Name)}' overlap in the data " +
                    $"(bytes {byOffset[i - 1].Begin}..{byOffset[i - 1].End} and {byOffset[i].Begin}..{byOffset[i].End})");
            }
        }
        return entries.ToDictionary(e => e.Name,
            e => new SafeTensor(e.Name, e.DType, e.Shape, Decode(data.Span[(int)e.Begin..(int)e.End], e.DType)), StringComparer.Ordinal);
    }

    private static JsonDocument ParseHeader(ReadOnlyMemory<byte> json, string source)
    {
        // The JSON reader checks UTF-8 inside strings only when they are read; check it whole, first.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            throw Invalid(source, "its header is not UTF-8 text; it is not a safetensors file");
        }
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw Invalid(source, $"its header is not valid JSON ({ex.Message}); it is not a safetensors file");
        }
        var kind = header.RootElement.ValueKind;
        if (kind != JsonValueKind.Object)
        {
            header.Dispose();
            throw Invalid(source, $"its header is a JSON {kind} instead of an object; it is not a safetensors file");
        }
        return header;
    }

    // One header entry: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, checked against the data's length.
    private static (string Name, string DType, long[] Shape, long Begin, long End) Entry(JsonProperty property, int dataLength, string source)
    {
        var name = MessageText.Quote(property.Name);
        var entry = property.Value;
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("dtype", out var dtypeNode) || dtypeNode.ValueKind != JsonValueKind.String
            || !entry.TryGetProperty("shape", out var shapeNode) || shapeNode.ValueKind != JsonValueKind.Array
            || !entry.TryGetProperty("data_offsets", out var offsetsNode) || offsetsNode.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(source, $"the header entry for '{name}' lacks dtype, shape or data_offsets");
        }
        var dtype = dtypeNode.GetString()!;
        int width = dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            _ => throw Invalid(source, $"tensor '{name}' has dtype {MessageText.Quote(dtype, 20)}; supported: F32, F16, BF16"),
        };
        var shape = Integers(shapeNode);
        var offsets = Integers(offsetsNode);
        if (shape is null || shape.Any(d => d < 0))
        {
            throw Invalid(source, $"tensor '{name}' has shape {MessageText.Quote(shapeNode.GetRawText(), 80)}; a shape lists whole numbers of zero or more");
        }
        if (offsets is not { Length: 2 } || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
        {
            throw Invalid(source, $"tensor '{name}' lies at bytes {MessageText.Quote(offsetsNode.GetRawText(), 80)} but the data holds {dataLength} bytes; the file is truncated");
        }
        long present = offsets[1] - offsets[0];
        var needed = BytesNeeded(shape, width, present);
        if (needed != present)
        {
            throw Invalid(source, $"tensor '{name}' of shape [{string.Join(", ", shape)}] {dtype} needs " +
                $"{(needed is long n ? n.ToString(CultureInfo.InvariantCulture) : "more")} bytes but has {present}");
        }
        return (property.Name, dtype, shape, offsets[0], offsets[1]);
    }

    // shape's element count times width, or null where that exceeds limit: a shape claiming more than the file holds is
    // refused without computing (or allocating) its size.
    private static long? BytesNeeded(long[] shape, int width, long limit)
    {
        if (shape.Contains(0))
        {
            return 0;
        }
        long bytes = width;
        foreach (var dimension in shape)
        {
            if (bytes > limit / dimension)
            {
                return null;
            }
            bytes *= dimension;
        }
        return bytes;
    }

    // A JSON array of whole numbers that fit a long, or null.
    private static long[]? Integers(JsonElement array)
    {
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out values[i++]))
            {
                return null;
            }
        }
        return values;
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
