using System.Text;
using DataType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using Google.Protobuf;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Onnx.Proto;
using HybridDiffusion.Core.Scheduling;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Fixtures;

/// <summary>How a fixture UNet receives its timestep.</summary>
public enum TimestepStyle
{
    Int64Batch,
    FloatBatch,
    FloatScalar,
    Float16Batch,
}

/// <summary>The I/O contract of a fixture UNet, and its size for benchmarks.</summary>
/// <param name="Width">Channels of the UNet's feature maps (and of its time and text embeddings).</param>
/// <param name="Layers">Extra 3×3 convolutions at full resolution, each conditioned: the knob for compute per step.</param>
/// <param name="BallastMB">Weights (in MB) of a chain of 1024×1024 MatMuls on the conditioning vector: the knob for
/// memory, at little compute, as a large UNet's memory is mostly weights.</param>
public sealed record UNetContract(int TextDim, TimestepStyle Timestep, int PooledDim = 0, bool Float16 = false, int TimestepCondDim = 0,
    bool ExternalData = false, int Channels = 4, int Width = 8, int Layers = 0, int BallastMB = 0);

/// <summary>
/// Tiny random-weight models with the exact I/O contracts of real diffusers-ONNX exports (SD 1.5, SD 2.1-v, SDXL with
/// two text encoders, UNet-only distilled folders and files, float16, external data, each timestep style), with
/// torch-export-style node and initializer names. Weights are seeded, so every run writes the same files.
/// </summary>
public static class ContractFixtures
{
    private const int Tokens = 77;
    private const int BallastWidth = 1024;
    private static readonly string[] s_words = { "a", "photo", "of", "cat", "red", "circle", "blue", "box" };

    /// <summary>SD 1.5: one text encoder (int32 ids, 32 features), an int64 [B] timestep, ε-prediction, PNDM config.</summary>
    public static string Sd15(string root) => Pipeline(root, "sd15", "StableDiffusionPipeline",
        Scheduler("PNDMScheduler", "epsilon", "leading", stepsOffset: 1), new UNetContract(32, TimestepStyle.Int64Batch),
        textEncoders: new[] { (32, 0, DataType.Int32) }, vaeScaling: 0.18215);

    /// <summary>SD 2.1-768: v-prediction under DDIM, a float [B] timestep, int64 ids.</summary>
    public static string Sd21V(string root) => Pipeline(root, "sd21-v", "StableDiffusionPipeline",
        Scheduler("DDIMScheduler", "v_prediction", "leading", stepsOffset: 1), new UNetContract(24, TimestepStyle.FloatBatch),
        textEncoders: new[] { (24, 0, DataType.Int64) }, vaeScaling: 0.18215);

    /// <summary>SDXL: two encoders (16 + 24 features, pooled 20), text_embeds and time_ids, a float scalar timestep, Euler.</summary>
    public static string Sdxl(string root, bool float16 = false, bool externalData = false) =>
        Sdxl(root, "sdxl" + (float16 ? "-fp16" : "") + (externalData ? "-external" : ""), SdxlUNet(float16) with { ExternalData = externalData });

    /// <summary>
    /// An SDXL pipeline folder with the given UNet (see <see cref="SdxlUNet"/>), e.g. sized for a benchmark; the two
    /// encoders' feature sizes add up to the UNet's text size (16 + 24 unless given), the second projects to its pooled size.
    /// </summary>
    public static string Sdxl(string root, string name, UNetContract unet, (int First, int Second)? encoderDims = null)
    {
        var (first, second) = encoderDims ?? (16, 24);
        return Pipeline(root, name, "StableDiffusionXLPipeline", Scheduler("EulerDiscreteScheduler", "epsilon", "leading", stepsOffset: 1), unet,
            textEncoders: new[] { (first, 0, DataType.Int64), (second, unet.PooledDim, DataType.Int64) }, vaeScaling: 0.13025, float16: unet.Float16);
    }

    /// <summary>The SDXL fixtures' UNet contract: 40 text features, pooled 20, a float scalar (or float16 [B]) timestep.</summary>
    public static UNetContract SdxlUNet(bool float16 = false) =>
        new(40, float16 ? TimestepStyle.Float16Batch : TimestepStyle.FloatScalar, PooledDim: 20, Float16: float16);

    /// <summary>A UNet-only distilled folder (unet/model.onnx and nothing else, as DMD2 ships), matching a base's contract.</summary>
    public static string UNetOnlyFolder(string root, string name, UNetContract contract, int seed = 7)
    {
        var folder = Path.Combine(root, name);
        WriteUNet(Path.Combine(folder, "unet"), contract, seed);
        return folder;
    }

    /// <summary>A single UNet .onnx file.</summary>
    public static string UNetFile(string root, string name, UNetContract contract, int seed = 11)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, name + ".onnx");
        File.WriteAllBytes(path, UNet(contract, seed).ToByteArray());
        return path;
    }

    /// <summary>An SD 1.5-like LCM folder: UNet with timestep_cond (a guidance embedding of 16) and an LCM scheduler.</summary>
    public static string Sd15Lcm(string root)
    {
        var folder = UNetOnlyFolder(root, "sd15-lcm", new UNetContract(32, TimestepStyle.Int64Batch, TimestepCondDim: 16));
        WriteText(folder, "scheduler/scheduler_config.json", Scheduler("LCMScheduler", "epsilon", "leading", stepsOffset: 1).ToJson());
        return folder;
    }

    public static SchedulerConfig Scheduler(string className, string prediction, string spacing, int stepsOffset) => new()
    {
        ClassName = className, BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear", TimestepSpacing = spacing,
        StepsOffset = stepsOffset, SetAlphaToOne = false, ClipSample = false,
        PredictionType = prediction == "v_prediction" ? PredictionType.VPrediction : PredictionType.Epsilon,
    };

    internal static ModelProto UNet(UNetContract c, int seed)
    {
        var g = new OnnxGraphBuilder("fixture_unet");
        var random = new Weights(seed);
        var io = c.Float16 ? DataType.Float16 : DataType.Float;
        var sample = ToFloat(g, g.Input("sample", io, "batch", c.Channels, "height", "width"), c.Float16);
        var (timestepType, timestepDims) = c.Timestep switch
        {
            TimestepStyle.Int64Batch => (DataType.Int64, new object[] { "batch" }),
            TimestepStyle.FloatBatch => (DataType.Float, new object[] { "batch" }),
            TimestepStyle.FloatScalar => (DataType.Float, Array.Empty<object>()),
            _ => (DataType.Float16, new object[] { "batch" }),
        };
        var timestep = g.Input("timestep", timestepType, timestepDims);
        var hidden = ToFloat(g, g.Input("encoder_hidden_states", io, "batch", Tokens, c.TextDim), c.Float16);

        // Time embedding: t/1000 → Linear → SiLU → Linear, as [B or 1, F].
        var t = g.Node("Div", new[] { g.Node("Reshape", new[] { g.Node("Cast", new[] { timestep }, ("to", (long)DataType.Float)), g.Ints(-1, 1) }), g.Scalar(1000f) });
        var temb = Linear(g, random, "time_embedding.linear_1", t, 1, 16);
        temb = g.Node("Mul", new[] { temb, g.Node("Sigmoid", new[] { temb }) });
        temb = Linear(g, random, "time_embedding.linear_2", temb, 16, c.Width);

        // Cross-attention stand-in: the mean token through a to_k projection (MatMul with a transposed weight, as exported).
        var text = g.Node("ReduceMean", new[] { hidden }, ("axes", new long[] { 1 }), ("keepdims", 0L));
        var condition = g.Node("Add", new[] { temb, MatMul(g, random, "/down_blocks.0/attentions.0/transformer_blocks.0/attn2/to_k/MatMul", text, c.TextDim, c.Width) });
        if (c.PooledDim > 0)
        {
            var textEmbeds = ToFloat(g, g.Input("text_embeds", io, "batch", c.PooledDim), c.Float16);
            var timeIds = ToFloat(g, g.Input("time_ids", io, "batch", 6), c.Float16);
            var added = g.Node("Concat", new[] { textEmbeds, g.Node("Div", new[] { timeIds, g.Scalar(1024f) }) }, ("axis", 1L));
            condition = g.Node("Add", new[] { condition, Linear(g, random, "add_embedding.linear_1", added, c.PooledDim + 6, c.Width) });
        }
        if (c.TimestepCondDim > 0)
        {
            var cond = ToFloat(g, g.Input("timestep_cond", io, "batch", c.TimestepCondDim), c.Float16);
            condition = g.Node("Add", new[] { condition, Linear(g, random, "time_embedding.cond_proj", cond, c.TimestepCondDim, c.Width) });
        }

        if (c.BallastMB > 0)
        {
            // Large weights at small compute: [B, W] → 1024 → (1024×1024)^k → W, added to the conditioning.
            var x = MatMul(g, random, "/ballast/in/MatMul", condition, c.Width, BallastWidth);
            for (int k = 0; k < c.BallastMB * (1 << 20) / (BallastWidth * BallastWidth * sizeof(float)); k++)
            {
                x = g.Node("Tanh", new[] { MatMul(g, random, $"/ballast/layers.{k}/MatMul", x, BallastWidth, BallastWidth) });
            }
            condition = g.Node("Add", new[] { condition, MatMul(g, random, "/ballast/out/MatMul", x, BallastWidth, c.Width) });
        }
        var spatial = g.Node("Unsqueeze", new[] { condition, g.Ints(2, 3) });
        var h = Conv(g, random, "conv_in", sample, c.Channels, c.Width, 3);
        h = g.Node("Tanh", new[] { g.Node("Add", new[] { h, spatial }) });
        for (int layer = 0; layer < c.Layers; layer++)
        {
            h = g.Node("Tanh", new[] { g.Node("Add", new[] { Conv(g, random, $"down_blocks.0.resnets.{layer}.conv1", h, c.Width, c.Width, 3), spatial }) });
        }
        h = g.Node("Tanh", new[] { Conv(g, random, "mid_block.resnets.0.conv1", h, c.Width, c.Width, 1) });
        var output = Conv(g, random, "conv_out", h, c.Width, c.Channels, 3);
        g.Alias(c.Float16 ? g.Node("Cast", new[] { output }, ("to", (long)DataType.Float16)) : output, "out_sample");
        g.Output("out_sample", io, "batch", c.Channels, "height", "width");
        return g.Build("pytorch");
    }

    private static string Pipeline(string root, string name, string pipelineClass, SchedulerConfig scheduler, UNetContract unet,
        (int Dim, int Projection, DataType Ids)[] textEncoders, double vaeScaling, bool float16 = false)
    {
        var folder = Path.Combine(root, name);
        var index = new StringBuilder($"{{\n  \"_class_name\": \"{pipelineClass}\",\n  \"_name_or_path\": \"fixture/{name}\"");
        if (textEncoders.Length == 2)
        {
            index.Append(",\n  \"force_zeros_for_empty_prompt\": true");
        }
        WriteText(folder, "model_index.json", index.Append("\n}\n").ToString());
        WriteText(folder, "scheduler/scheduler_config.json", scheduler.ToJson());
        WriteUNet(Path.Combine(folder, "unet"), unet, seed: 1);
        for (int i = 0; i < textEncoders.Length; i++)
        {
            var suffix = i == 0 ? "" : "_2";
            var vocabulary = DemoVocabulary.Build(s_words);
            vocabulary.WriteTo(Path.Combine(folder, "tokenizer" + suffix));
            if (i == 1)
            {
                // SDXL's second tokenizer pads with "!" (id 0) instead of the end token.
                var config = Path.Combine(folder, "tokenizer_2", "tokenizer_config.json");
                File.WriteAllText(config, File.ReadAllText(config).Replace("\"pad_token\": \"<|endoftext|>\"", "\"pad_token\": \"!\""));
            }
            var (dim, projection, ids) = textEncoders[i];
            WriteBytes(folder, $"text_encoder{suffix}/model.onnx",
                TextEncoder(vocabulary.Vocab.Count, dim, projection, ids, hiddenStates: textEncoders.Length == 2, float16, seed: 20 + i).ToByteArray());
        }
        WriteBytes(folder, "vae_decoder/model.onnx", VaeDecoder(unet.Channels, float16, seed: 30).ToByteArray());
        WriteText(folder, "vae_decoder/config.json", FormattableString.Invariant($"{{\n  \"latent_channels\": {unet.Channels},\n  \"scaling_factor\": {vaeScaling}\n}}\n"));
        return folder;
    }

    /// <summary>A CLIP-like encoder: token + position embeddings, two residual MLP layers; SDXL exports add hidden_states.N.</summary>
    private static ModelProto TextEncoder(int vocabSize, int dim, int projection, DataType idType, bool hiddenStates, bool float16, int seed)
    {
        var g = new OnnxGraphBuilder("fixture_text_encoder");
        var random = new Weights(seed);
        var ids = g.Input("input_ids", idType, "batch", Tokens);
        var table = g.Initializer("text_model.embeddings.token_embedding.weight", random.Next(vocabSize * dim, 1f), vocabSize, dim);
        var positions = g.Initializer("text_model.embeddings.position_embedding.weight", random.Next(Tokens * dim, 0.1f), Tokens, dim);
        var states = new List<string> { g.Node("Add", new[] { g.Node("Gather", new[] { table, ids }, ("axis", 0L)), positions }) };
        for (int layer = 0; layer < 2; layer++)
        {
            var mlp = MatMul(g, random, $"/text_model/encoder/layers.{layer}/mlp/fc1/MatMul", states[^1], dim, dim);
            states.Add(g.Node("Add", new[] { states[^1], g.Node("Tanh", new[] { mlp }) }));
        }
        var type = float16 ? DataType.Float16 : DataType.Float;
        string Out(string value) => float16 ? g.Node("Cast", new[] { value }, ("to", (long)DataType.Float16)) : value;
        g.Alias(Out(states[^1]), "last_hidden_state");
        g.Output("last_hidden_state", type, "batch", Tokens, dim);
        var pooled = g.Node("ReduceMean", new[] { states[^1] }, ("axes", new long[] { 1 }), ("keepdims", 0L));
        if (projection > 0)
        {
            g.Alias(Out(MatMul(g, random, "/text_projection/MatMul", pooled, dim, projection)), "text_embeds");
            g.Output("text_embeds", type, "batch", projection);
        }
        else
        {
            g.Alias(Out(pooled), "pooler_output");
            g.Output("pooler_output", type, "batch", dim);
        }
        if (hiddenStates)
        {
            for (int i = 0; i < states.Count; i++)
            {
                g.Alias(Out(states[i]), $"hidden_states.{i}");
                g.Output($"hidden_states.{i}", type, "batch", Tokens, dim);
            }
        }
        return g.Build("pytorch");
    }

    private static ModelProto VaeDecoder(int channels, bool float16, int seed)
    {
        var g = new OnnxGraphBuilder("fixture_vae_decoder");
        var random = new Weights(seed);
        var type = float16 ? DataType.Float16 : DataType.Float;
        var latent = ToFloat(g, g.Input("latent_sample", type, "batch", channels, "height", "width"), float16);
        var colour = Conv(g, random, "decoder.conv_in", latent, channels, 3, 1);
        var upsampled = g.Node("Resize", new[] { colour, "", g.Initializer("upsample_scales", new[] { 1f, 1f, 8f, 8f }, 4) }, ("mode", "linear"));
        var image = g.Node("Tanh", new[] { upsampled });
        g.Alias(float16 ? g.Node("Cast", new[] { image }, ("to", (long)DataType.Float16)) : image, "sample");
        g.Output("sample", type, "batch", 3, "image_height", "image_width");
        return g.Build("pytorch");
    }

    private static void WriteUNet(string folder, UNetContract contract, int seed)
    {
        Directory.CreateDirectory(folder);
        var model = UNet(contract, seed);
        if (contract.ExternalData)
        {
            MoveToExternalData(model, folder, "model.onnx_data");
        }
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), model.ToByteArray());
        WriteText(folder, "config.json", $"{{\n  \"in_channels\": {contract.Channels},\n  \"cross_attention_dim\": {contract.TextDim}\n}}\n");
    }

    /// <summary>
    /// Stores the weights in a side file, as exports above 2 GB must (ONNX external data). Like torch.onnx and Optimum,
    /// small tensors (shapes and constants that shape inference reads) stay inside the model.
    /// </summary>
    private static void MoveToExternalData(ModelProto model, string folder, string fileName)
    {
        const int Threshold = 1024;
        using var data = File.Create(Path.Combine(folder, fileName));
        foreach (var tensor in model.Graph.Initializer.Where(t => t.RawData.Length >= Threshold))
        {
            long offset = data.Position;
            tensor.RawData.WriteTo(data);
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = fileName });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = tensor.RawData.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            tensor.RawData = ByteString.Empty;
        }
    }

    private static string ToFloat(OnnxGraphBuilder g, string value, bool float16) =>
        float16 ? g.Node("Cast", new[] { value }, ("to", (long)DataType.Float)) : value;

    // torch.nn.Linear exported as Gemm with its weight [out, in] and transB = 1.
    private static string Linear(OnnxGraphBuilder g, Weights random, string module, string input, int inputs, int outputs) =>
        g.NodeNamed($"/{module.Replace('.', '/')}/Gemm", "Gemm", new[]
        {
            input,
            g.Initializer(module + ".weight", random.Next(outputs * inputs, 1f / MathF.Sqrt(inputs)), outputs, inputs),
            g.Initializer(module + ".bias", random.Next(outputs, 0.1f), outputs),
        }, 1, ("transB", 1L))[0];

    // A bias-free torch Linear on a 3-D input exports as MatMul with the weight transposed to [in, out] under an onnx:: name.
    private static string MatMul(OnnxGraphBuilder g, Weights random, string nodeName, string input, int inputs, int outputs) =>
        g.NodeNamed(nodeName, "MatMul", new[]
        {
            input, g.Initializer($"onnx::MatMul_{9000 + random.Counter}", random.Next(inputs * outputs, 1f / MathF.Sqrt(inputs)), inputs, outputs),
        }, 1)[0];

    private static string Conv(OnnxGraphBuilder g, Weights random, string module, string input, int inputs, int outputs, int kernel) =>
        g.NodeNamed($"/{module.Replace('.', '/')}/Conv", "Conv", new[]
        {
            input,
            g.Initializer(module + ".weight", random.Next(outputs * inputs * kernel * kernel, 1f / MathF.Sqrt(inputs * kernel * kernel)), outputs, inputs, kernel, kernel),
            g.Initializer(module + ".bias", random.Next(outputs, 0.1f), outputs),
        }, 1, ("kernel_shape", new long[] { kernel, kernel }), ("pads", new long[] { kernel / 2, kernel / 2, kernel / 2, kernel / 2 }))[0];

    private static void WriteText(string root, string relative, string text) => WriteBytes(root, relative, Encoding.UTF8.GetBytes(text));

    private static void WriteBytes(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Seeded Gaussian weights.</summary>
    private sealed class Weights
    {
        private readonly GaussianNoise _noise;

        public Weights(int seed) => _noise = new GaussianNoise(seed);

        public int Counter { get; private set; }

        public float[] Next(int count, float scale)
        {
            Counter++;
            var values = new float[count];
            _noise.Fill(values, scale);
            return values;
        }
    }
}
