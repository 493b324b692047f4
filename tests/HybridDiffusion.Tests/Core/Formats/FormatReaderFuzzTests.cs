using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Formats;

/// <summary>
/// Seeded mutations of valid JSON configs and .npy arrays through the tool's readers (the bounded JSON reader with a
/// scheduler config's typed keys; the .npy reader): each ends in a value or a HybridDiffusionException naming the
/// file, none crashes or hangs, and none allocates more than a small multiple of its own size.
/// </summary>
public sealed class FormatReaderFuzzTests
{
    private const int Mutations = 400;
    private const int Seed = 20261207;
    private readonly ITestOutputHelper _output;

    public FormatReaderFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void MutatedJsonConfigsReadOrFailWithAClearErrorInBoundedMemory()
    {
        var seeds = new[] { "scheduler/scheduler_config.json", "model_index.json", "tokenizer/tokenizer_config.json", "unet/config.json" }
            .Select(f => File.ReadAllBytes(Path.Combine(DemoPair.Paths.BaseModel, f))).ToArray();
        var random = new Random(Seed);
        var cases = JsonHandPicked().Concat(Enumerable.Range(0, Mutations).Select(_ => MutateJson(random, seeds[random.Next(seeds.Length)])));
        Run(cases, "config.json", path =>
        {
            BoundedJson.ReadObject(path, "Model config", InputLimits.JsonConfigBytes, HybridErrorKind.InvalidModel);
            SchedulerConfig.Load(path);
        }, size => 64L * size + (4 << 20));
    }

    [Fact]
    public void MutatedNpyArraysReadOrFailWithAClearErrorInBoundedMemory()
    {
        var seeds = new[]
        {
            new NpyArray(Enumerable.Range(0, 4 * 8 * 8).Select(i => i / 7f).ToArray(), new[] { 1, 4, 8, 8 }).ToBytes(),
            new NpyArray(new[] { 1f, 2f, 3f }, new[] { 3 }).ToBytes(),
            Version3(new NpyArray(new float[12], new[] { 3, 4 }).ToBytes()),
        };
        var random = new Random(Seed);
        var cases = NpyHandPicked().Concat(Enumerable.Range(0, Mutations).Select(_ => MutateNpy(random, seeds[random.Next(seeds.Length)])));
        Run(cases, "array.npy", path => NpyArray.Read(path, "the initial latents"), size => 4L * size + (1 << 20));
    }

    private void Run(IEnumerable<(string Description, byte[] Bytes)> cases, string name, Action<string> read, Func<long, long> allocationBound)
    {
        var (loaded, refused) = FileFuzz.Run(cases, name, read, allocationBound, _output);
        Assert.True(refused > 0 && loaded > 0, $"the mutations should break some files and keep some ({loaded} read, {refused} refused)");
    }

    private static IEnumerable<(string, byte[])> JsonHandPicked()
    {
        static (string, byte[]) Text(string description, string json) => (description, Encoding.UTF8.GetBytes(json));
        yield return Text("nested 100000 deep", "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}");
        yield return Text("a key twice", "{\"num_train_timesteps\": 1000, \"num_train_timesteps\": 10}");
        yield return Text("top-level array", "[1, 2, 3]");
        yield return Text("top-level null", "null");
        yield return Text("number past double", "{\"num_train_timesteps\": 1e400}");
        yield return Text("whole number past long", "{\"num_train_timesteps\": 99999999999999999999999}");
        yield return Text("string for a number", "{\"beta_start\": \"0.1\"}");
        yield return Text("object for a string", "{\"_class_name\": {\"a\": 1}}");
        yield return Text("truncated", "{\"beta_start\": 0.0");
        yield return Text("control characters in a key", "{\"a\\u001b]0;x\\u0007\": 1, \"beta_start\": [1]}");
        yield return ("byte-order mark", new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{}")).ToArray());
        yield return ("not UTF-8", new byte[] { 0x7B, 0xFF, 0xFE, 0x7D });
        yield return ("empty", Array.Empty<byte>());
    }

    private static (string, byte[]) MutateJson(Random random, byte[] seed)
    {
        switch (random.Next(4))
        {
            case 0:
                return FileFuzz.Truncated(random, seed);
            case 1:
                return FileFuzz.WithRandomBytes(random, seed);
            default:
            {
                var json = JsonNode.Parse(seed.AsSpan().StartsWith("\uFEFF"u8) ? seed[3..] : seed)!.AsObject();
                var keys = json.Select(p => p.Key).ToList();
                var key = keys.Count > 0 ? keys[random.Next(keys.Count)] : "num_train_timesteps";
                JsonNode?[] values =
                {
                    null, true, -1, 0, 1e308, -1e308, 4294967296L, long.MaxValue, 0.5, "", "x", new JsonArray(1, 2), new JsonObject { ["a"] = 1 },
                    new string('z', 10_000),
                };
                var value = values[random.Next(values.Length)];
                json[key] = value?.DeepClone();
                return ($"\"{key}\" = {value?.ToJsonString() ?? "null"}", Encoding.UTF8.GetBytes(json.ToJsonString()));
            }
        }
    }

    private static IEnumerable<(string, byte[])> NpyHandPicked()
    {
        yield return ("shape wrapping 64 bits", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (308761441, 1867010176, 8), }", 64));
        yield return ("shape 2^31 x 2^31", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647), }", 16));
        yield return ("size past int", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }", 16));
        yield return ("negative size", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }", 16));
        yield return ("header of 10000 characters", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }" + new string(' ', 10_000), 4));
        yield return ("float64", Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16));
        yield return ("Fortran order", Npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16));
        yield return ("header length past the end", new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0xFF, 0xFF, 0xFF, 0x7F });
        yield return ("version 9", new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 9, 0, 0, 0 });
        yield return ("empty", Array.Empty<byte>());
    }

    private static byte[] Npy(string header, int dataBytes)
    {
        var text = Encoding.Latin1.GetBytes(header + "\n");
        var bytes = new byte[12 + text.Length + dataBytes];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)text.Length);
        text.CopyTo(bytes, 12);
        return bytes;
    }

    // The same array with a version 3.0 header (4-byte length, UTF-8).
    private static byte[] Version3(byte[] version1)
    {
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(version1.AsSpan(8));
        var header = Encoding.Latin1.GetString(version1, 10, headerLength);
        var bytes = Npy(header.TrimEnd('\n', ' '), version1.Length - 10 - headerLength);
        bytes[6] = 3;
        version1.AsSpan(10 + headerLength).CopyTo(bytes.AsSpan(bytes.Length - (version1.Length - 10 - headerLength)));
        return bytes;
    }

    private static (string, byte[]) MutateNpy(Random random, byte[] seed)
    {
        switch (random.Next(4))
        {
            case 0:
                return FileFuzz.Truncated(random, seed);
            case 1:
                // Mostly the header, where the sizes are.
                return FileFuzz.WithRandomBytes(random, seed, () => random.Next(Math.Min(seed.Length, random.Next(2) == 0 ? 128 : seed.Length)));
            default:
            {
                string[] shapes = { "()", "(0,)", "(1, 4, 8, 8)", "(3,)", "(3, 4)", "(12,)", "(4294967297,)", "(65536, 65536)", "(-1, 12)", "(1,,2)", "(a,)", "(9223372036854775807, 2)" };
                string[] dtypes = { "<f4", "f4", ">f4", "<f2", "<i4", "|b1", "" };
                var shape = shapes[random.Next(shapes.Length)];
                var dtype = dtypes[random.Next(dtypes.Length)];
                int dataBytes = random.Next(2) == 0 ? seed.Length - 128 : random.Next(256);
                return ($"descr {dtype}, shape {shape}, {dataBytes} data bytes",
                    Npy($"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shape}, }}", Math.Max(0, dataBytes)));
            }
        }
    }
}
