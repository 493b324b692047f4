using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Tests.Core.Sliders;

/// <summary>
/// Seeded mutations of valid LoRA files (header length, header JSON, dtypes, shapes, offsets, truncation, byte flips)
/// through the whole slider-file reader: each ends in a file that loads or in a HybridDiffusionException, and none
/// allocates more than a small multiple of its own size, whatever shapes and lengths its header claims.
/// </summary>
public sealed class SafeTensorsFuzzTests
{
    private const int Mutations = 400;
    private const int Seed = 20261126;
    private readonly ITestOutputHelper _output;

    public SafeTensorsFuzzTests(ITestOutputHelper output) => _output = output;

    // Valid files to mutate: a kohya F32 file with conv and linear modules and metadata, and an F16/BF16 one.
    private static readonly byte[][] s_seeds =
    {
        SafeTensors.Write(new[]
        {
            ("lora_unet_down_blocks_0_resnets_0_conv1.alpha", Array.Empty<long>(), new[] { 2f }),
            ("lora_unet_down_blocks_0_resnets_0_conv1.lora_down.weight", new long[] { 4, 8, 3, 3 }, Ramp(4 * 8 * 9)),
            ("lora_unet_down_blocks_0_resnets_0_conv1.lora_up.weight", new long[] { 8, 4, 1, 1 }, Ramp(8 * 4)),
            ("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_q.lora_down.weight", new long[] { 2, 16 }, Ramp(2 * 16)),
            ("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_q.lora_up.weight", new long[] { 16, 2 }, Ramp(16 * 2)),
            ("lora_te_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", new long[] { 1, 4 }, Ramp(4)),
        }, new Dictionary<string, string> { ["ss_network_dim"] = "4" }),
        HalfPrecisionFile(),
    };

    private static float[] Ramp(int count) => Enumerable.Range(0, count).Select(i => (i % 7 - 3) / 8f).ToArray();

    // unet.x.lora_A (F16) and lora_B (BF16), written by hand since SafeTensors.Write writes F32 only.
    private static byte[] HalfPrecisionFile()
    {
        var json = "{\"unet.conv_in.lora_A.weight\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]}," +
                   "\"unet.conv_in.lora_B.weight\":{\"dtype\":\"BF16\",\"shape\":[3,2],\"data_offsets\":[12,24]}}";
        var header = Encoding.UTF8.GetBytes(json);
        var data = Enumerable.Range(0, 6).SelectMany(i => BitConverter.GetBytes((Half)(i * 0.25f)))
            .Concat(Enumerable.Range(0, 6).SelectMany(i => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(i - 2.5f) >> 16))));
        return BitConverter.GetBytes((ulong)header.Length).Concat(header).Concat(data).ToArray();
    }

    [Fact]
    public void MutatedFilesLoadOrFailWithAClearErrorInBoundedMemory()
    {
        var random = new Random(Seed);
        var cases = HandPicked().Concat(Enumerable.Range(0, Mutations).Select(_ => Mutate(random))).ToList();
        // The file's bytes, its tensors decoded to float32 (at most twice the data), the parsed header and lists.
        var (loaded, refused) = FileFuzz.Run(cases, "fuzz.safetensors", path => LoraFile.Load(path), size => 8L * size + (4 << 20), _output);
        Assert.True(refused > cases.Count / 2 && loaded > 0, $"the mutations should mostly break the file ({loaded} loaded, {refused} refused)");
    }

    // Headers that claim far more than the file holds, and other shapes no mutation is likely to hit.
    private static IEnumerable<(string, byte[])> HandPicked()
    {
        static byte[] WithHeader(string json, int dataBytes = 16) => Assemble(Encoding.UTF8.GetBytes(json), (ulong)Encoding.UTF8.GetByteCount(json), new byte[dataBytes]);
        yield return ("header length 2^63", Assemble("{}"u8.ToArray(), 1UL << 63, Array.Empty<byte>()));
        yield return ("header length ulong.MaxValue", Assemble("{}"u8.ToArray(), ulong.MaxValue, Array.Empty<byte>()));
        yield return ("header length past the end", Assemble("{}"u8.ToArray(), 1000, Array.Empty<byte>()));
        yield return ("shape 2^31 x 2^31", WithHeader("{\"lora_unet_a.lora_down.weight\":{\"dtype\":\"F32\",\"shape\":[2147483648,2147483648],\"data_offsets\":[0,16]}}"));
        yield return ("shape overflowing long", WithHeader("{\"lora_unet_a.lora_down.weight\":{\"dtype\":\"F32\",\"shape\":[9223372036854775807,4],\"data_offsets\":[0,16]}}"));
        yield return ("shape wrapping to 16 bytes", WithHeader("{\"lora_unet_a.lora_down.weight\":{\"dtype\":\"F32\",\"shape\":[4611686018427387905,4],\"data_offsets\":[0,16]}}"));
        yield return ("negative shape", WithHeader("{\"lora_unet_a.lora_down.weight\":{\"dtype\":\"F32\",\"shape\":[-1,-4],\"data_offsets\":[0,16]}}"));
        yield return ("offsets to 2^62", WithHeader("{\"lora_unet_a.lora_down.weight\":{\"dtype\":\"F32\",\"shape\":[1073741824],\"data_offsets\":[0,4611686018427387904]}}"));
        // Decoded separately, these would take 64 MB from a 150 kB file.
        yield return ("a thousand tensors on the same bytes", WithHeader("{" + string.Join(",", Enumerable.Range(0, 1000)
            .Select(i => $"\"lora_unet_m{i}.lora_down.weight\":{{\"dtype\":\"F32\",\"shape\":[16384],\"data_offsets\":[0,65536]}}")) + "}", 65536));
        yield return ("duplicate tensor names", WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}"));
        yield return ("nested arrays 10000 deep", WithHeader(new string('[', 10000) + new string(']', 10000)));
        yield return ("header is an array", WithHeader("[1,2,3]"));
        yield return ("header is not UTF-8", Assemble(new byte[] { 0x7B, 0xFF, 0xFE, 0x7D }, 4, Array.Empty<byte>()));
        yield return ("rank-0 pair", SafeTensors.Write(new[]
        {
            ("lora_unet_a.lora_down.weight", new long[] { 0, 4 }, Array.Empty<float>()),
            ("lora_unet_a.lora_up.weight", new long[] { 4, 0 }, Array.Empty<float>()),
        }));
        yield return ("empty file", Array.Empty<byte>());
    }

    // The 8-byte length field (claiming any length), the header, then the data.
    private static byte[] Assemble(byte[] header, ulong claimed, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimed);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private static (string, byte[]) Mutate(Random random)
    {
        var seed = s_seeds[random.Next(s_seeds.Length)];
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(seed);
        var data = seed[(8 + headerLength)..];
        switch (random.Next(6))
        {
            case 0:
            {
                var bytes = seed.ToArray();
                ulong[] lengths = { 0, 1, 7, (ulong)headerLength - 1, (ulong)headerLength + 1, (ulong)bytes.Length, (ulong)random.NextInt64(), uint.MaxValue };
                var length = lengths[random.Next(lengths.Length)];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
                return ($"header length {length}", bytes);
            }
            case 1:
                return FileFuzz.Truncated(random, seed);
            case 2:
                return FileFuzz.WithRandomBytes(random, seed);
            default:
            {
                var header = JsonNode.Parse(seed.AsSpan(8, headerLength))!.AsObject();
                var names = header.Select(p => p.Key).Where(k => k != "__metadata__").ToList();
                var name = names[random.Next(names.Count)];
                var (what, value) = MutateEntry(random, header[name]!.AsObject(), data.Length);
                header[name] = value;
                var json = Encoding.UTF8.GetBytes(header.ToJsonString());
                // Usually the length field is kept consistent so the header is what is tested; sometimes not.
                ulong claimed = random.Next(8) == 0 ? (ulong)headerLength : (ulong)json.Length;
                return ($"'{name}' {what}", Assemble(json, claimed, data));
            }
        }
    }

    private static (string, JsonNode?) MutateEntry(Random random, JsonObject entry, int dataLength)
    {
        JsonNode Number(long value) => JsonValue.Create(value);
        long[] extremes = { -1, 0, 1, 3, dataLength, dataLength + 1, int.MaxValue, 1L << 32, 1L << 40, long.MaxValue, random.NextInt64() };
        long Extreme() => extremes[random.Next(extremes.Length)];
        var copy = entry.DeepClone().AsObject();
        switch (random.Next(7))
        {
            case 0:
            {
                JsonNode?[] dtypes = { "F64", "I8", "U8", "BOOL", "F16", "BF16", "F32", "", JsonValue.Create(5), null };
                var dtype = dtypes[random.Next(dtypes.Length)];
                copy["dtype"] = dtype?.DeepClone();
                return ($"dtype {dtype?.ToJsonString() ?? "null"}", copy);
            }
            case 1:
            {
                var shape = Enumerable.Range(0, random.Next(5)).Select(_ => (JsonNode?)Number(random.Next(3) == 0 ? Extreme() : random.Next(1, 9))).ToArray();
                copy["shape"] = new JsonArray(shape);
                return ($"shape {copy["shape"]!.ToJsonString()}", copy);
            }
            case 2:
            {
                var offsets = Enumerable.Range(0, random.Next(4) == 0 ? random.Next(4) : 2).Select(_ => (JsonNode?)Number(Extreme())).ToArray();
                copy["data_offsets"] = new JsonArray(offsets);
                return ($"offsets {copy["data_offsets"]!.ToJsonString()}", copy);
            }
            case 3:
            {
                var key = new[] { "dtype", "shape", "data_offsets" }[random.Next(3)];
                copy.Remove(key);
                return ($"without {key}", copy);
            }
            case 4:
            {
                var key = new[] { "shape", "data_offsets" }[random.Next(2)];
                JsonNode?[] odd = { JsonValue.Create(1.5), JsonValue.Create("3"), new JsonArray(JsonValue.Create(1.5)), new JsonArray(JsonValue.Create("x")), new JsonObject(), null, new JsonArray((JsonNode?)null) };
                var value = odd[random.Next(odd.Length)];
                copy[key] = value;
                return ($"{key} {value?.ToJsonString() ?? "null"}", copy);
            }
            case 5:
            {
                JsonNode?[] odd = { JsonValue.Create(1), JsonValue.Create("F32"), new JsonArray(), null };
                var value = odd[random.Next(odd.Length)];
                return ($"entry {value?.ToJsonString() ?? "null"}", value);
            }
            default:
            {
                // Point this tensor at bytes another one uses.
                long begin = random.Next(dataLength);
                copy["data_offsets"] = new JsonArray(Number(begin), Number(begin + copy["data_offsets"]![1]!.GetValue<long>() - copy["data_offsets"]![0]!.GetValue<long>()));
                return ($"moved to {copy["data_offsets"]!.ToJsonString()}", copy);
            }
        }
    }
}
