using DataType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Demo;

/// <summary>
/// The demo pair's ONNX graphs. The UNet is the exact ε-prediction of the demo mixture's posterior:
/// w = softmax(γ(t)·(log π + prompt affinity) − r·‖x_t − √ᾱ·μ_i‖²/(2(1−ᾱ))), x̂0 = Σ w_i μ_i, ε = (x_t − √ᾱ·x̂0)/√(1−ᾱ).
/// The base model has γ ≡ 1, r = 1 and e = 1: the exact posterior. The distilled model is overconfident, as reverse-KL
/// distillation makes a model: it sharpens the prior at high noise (γ(t) = 1 + (γmax − 1)·sigmoid((t − t_c)/τ)), so it
/// commits to the dominant scene at its first step (for a concept decided later, the clock, t_c is lower: its sharpening
/// lasts until the noise has shown the time, so a hybrid needs more base steps for it); it weighs the evidence in x_t r times more, so from any later
/// noise level it settles at once on one scene; and its x̂0 states that choice emphatically, the scene's identity code
/// (in the latent channel the decoder does not draw) amplified e times, so the noise a few-step sampler adds back after each step
/// cannot move the next step off the scene already chosen.
/// </summary>
internal static class DemoGraphs
{
    public const int Tokens = 77;

    /// <summary>input_ids [B,77] → per-token attribute features (last_hidden_state) and their sum (pooler_output).</summary>
    public static byte[] TextEncoder(float[] embeddingTable, int vocabSize, int dim)
    {
        var g = new OnnxGraphBuilder("demo_text_encoder");
        var ids = g.Input("input_ids", DataType.Int32, "batch", Tokens);
        var table = g.Initializer("text_model.embeddings.token_embedding.weight", embeddingTable, vocabSize, dim);
        var hidden = g.Node("Gather", new[] { table, ids }, ("axis", 0L));
        var pooled = g.Node("ReduceSum", new[] { hidden, g.Ints(1) }, ("keepdims", 0L));
        g.Alias(hidden, "last_hidden_state");
        g.Alias(pooled, "pooler_output");
        g.Output("last_hidden_state", DataType.Float, "batch", Tokens, dim);
        g.Output("pooler_output", DataType.Float, "batch", dim);
        return g.ToBytes();
    }

    /// <param name="centreShift">Per prompt attribute, how far its words move γ's centre t_c (the clock's later commitment).</param>
    public static byte[] UNet(NoiseSchedule noise, float[] scenes, float[] logPrior, float[] affinity, int dim, float gammaMax, float gammaCentre, float gammaWidth,
        float[] centreShift, float evidenceGain, float codeEmphasis)
    {
        int k = logPrior.Length;
        int n = DemoWorld.LatentSize;
        var g = new OnnxGraphBuilder("demo_unet");
        var sample = g.Input("sample", DataType.Float, "batch", DemoWorld.LatentChannels, "height", "width");
        var timestep = g.Input("timestep", DataType.Int64, "batch");
        var text = g.Input("encoder_hidden_states", DataType.Float, "batch", Tokens, dim);

        var alphaTable = g.Initializer("alphas_cumprod", noise.AlphasCumprod.Select(a => (float)a).ToArray(), noise.TrainTimesteps);
        var sceneTable = g.Initializer("scenes", scenes, k, DemoWorld.LatentChannels, n, n);
        // The prompt's logits are one Linear layer over [token features, 1]: the word affinities and, in the constant
        // input's row, the log prior. Exported like torch (a MatMul with its weight stored [in, out]), so a slider can
        // shift the prior as a LoRA does any Linear.
        var logitWeights = new float[(dim + 1) * k];
        affinity.CopyTo(logitWeights, 0);
        logPrior.CopyTo(logitWeights, dim * k);
        var words = g.Initializer("onnx::MatMul_1000", logitWeights, dim + 1, k);

        // Noise level per batch item: ᾱ [B,1], √ᾱ and the mixture's variance at t (1 − ᾱ, scenes are points).
        var alphaProd = g.Node("Unsqueeze", new[] { g.Node("Gather", new[] { alphaTable, timestep }, ("axis", 0L)), g.Ints(1) });
        var sqrtAlpha = g.Node("Sqrt", new[] { alphaProd });
        var variance = g.Node("Sub", new[] { g.Scalar(1f), alphaProd });

        // Scenes resized to the sample's spatial size, flattened: M [K, N].
        var shape = g.Node("Shape", new[] { sample });
        var spatial = g.Node("Slice", new[] { shape, g.Ints(2), g.Ints(4) });
        var sizes = g.Node("Concat", new[] { g.Ints(k, DemoWorld.LatentChannels), spatial }, ("axis", 0L));
        var resized = g.Node("Resize", new[] { sceneTable, "", "", sizes }, ("mode", "linear"));
        var means = g.Node("Flatten", new[] { resized }, ("axis", 1L));
        var x = g.Node("Flatten", new[] { sample }, ("axis", 1L));
        // What x̂0 is made of: the scenes, with the code channel scaled by the emphasis (the same scenes when it is 1).
        var stated = codeEmphasis == 1f ? means : g.Node("Flatten", new[]
        {
            g.Node("Mul", new[] { resized, g.Initializer("code_emphasis", ChannelScale(codeEmphasis), 1, DemoWorld.LatentChannels, 1, 1) }),
        }, ("axis", 1L));

        // Log-likelihood up to a per-row constant, times the evidence gain r: r·(√ᾱ·x·μ_i − ½ᾱ‖μ_i‖²) / (1 − ᾱ).
        var dot = g.Node("Gemm", new[] { x, means }, ("transB", 1L));
        var normSq = g.Node("ReduceSum", new[] { g.Node("Mul", new[] { means, means }), g.Ints(1) }, ("keepdims", 0L));
        var halfAlphaNorm = g.Node("Mul", new[] { g.Node("Mul", new[] { alphaProd, g.Scalar(0.5f) }), normSq });
        var logLikelihood = g.Node("Mul", new[]
        {
            g.Node("Div", new[] { g.Node("Sub", new[] { g.Node("Mul", new[] { sqrtAlpha, dot }), halfAlphaNorm }), variance }),
            g.Scalar(evidenceGain),
        });

        // Prompt-conditioned prior: log π + Σ_tokens features · affinity, sharpened by γ(t).
        var features = g.Node("ReduceSum", new[] { text, g.Ints(1) }, ("keepdims", 0L));
        var ones = g.Node("Add", new[] { g.Node("Mul", new[] { g.Node("ReduceSum", new[] { features, g.Ints(1) }, ("keepdims", 1L)), g.Scalar(0f) }), g.Scalar(1f) });
        var withBias = g.Node("Concat", new[] { features, ones }, ("axis", 1L));
        var logWeight = g.NodeNamed($"/{DemoSlider.Module}/MatMul", "MatMul", new[] { withBias, words }, 1)[0];
        var t = g.Node("Unsqueeze", new[] { g.Node("Cast", new[] { timestep }, ("to", (long)DataType.Float)), g.Ints(1) });
        // t_c per prompt: the centre plus the shifts of its words' attributes (a concept decided later keeps γ high longer).
        var centre = g.Node("Add", new[] { g.Node("MatMul", new[] { features, g.Initializer("gamma_centre_shift", centreShift, dim, 1) }), g.Scalar(gammaCentre) });
        var ramp = g.Node("Sigmoid", new[] { g.Node("Div", new[] { g.Node("Sub", new[] { t, centre }), g.Scalar(gammaWidth) }) });
        var gamma = g.Node("Add", new[] { g.Scalar(1f), g.Node("Mul", new[] { ramp, g.Scalar(gammaMax - 1f) }) });
        var logits = g.Node("Add", new[] { g.Node("Mul", new[] { gamma, logWeight }), logLikelihood });
        var posterior = g.Node("Softmax", new[] { logits }, ("axis", 1L));

        // x̂0 = posterior mean; ε = (x − √ᾱ·x̂0)/√(1 − ᾱ), back in the sample's shape.
        var predicted = g.Node("MatMul", new[] { posterior, stated });
        var residual = g.Node("Sub", new[] { x, g.Node("Mul", new[] { sqrtAlpha, predicted }) });
        var epsilon = g.Node("Div", new[] { residual, g.Node("Sqrt", new[] { variance }) });
        // The colour tint: a second Linear over [token features, 1] gives a per-channel offset δ [B, C] to x̂0, zero in the
        // shipped models (so it changes no picture), for a slider to set. x̂0' = x̂0 + δ makes ε' = ε − √ᾱ·δ/√(1 − ᾱ),
        // subtracted last so that a zero δ leaves ε bit for bit.
        var tintWeights = g.Initializer("onnx::MatMul_1001", new float[(dim + 1) * DemoWorld.LatentChannels], dim + 1, DemoWorld.LatentChannels);
        var tint = g.NodeNamed($"/{DemoSlider.TintModule}/MatMul", "MatMul", new[] { withBias, tintWeights }, 1)[0];
        var tintPerPixel = g.Node("Flatten", new[]
        {
            g.Node("Expand", new[] { g.Node("Unsqueeze", new[] { tint, g.Ints(2, 3) }), shape }),
        }, ("axis", 1L));
        var tintEpsilon = g.Node("Div", new[] { g.Node("Mul", new[] { sqrtAlpha, tintPerPixel }), g.Node("Sqrt", new[] { variance }) });
        epsilon = g.Node("Sub", new[] { epsilon, tintEpsilon });
        g.Alias(g.Node("Reshape", new[] { epsilon, shape }), "out_sample");
        g.Output("out_sample", DataType.Float, "batch", DemoWorld.LatentChannels, "height", "width");
        return g.ToBytes();
    }

    private static float[] ChannelScale(float codeEmphasis)
    {
        var scale = Enumerable.Repeat(1f, DemoWorld.LatentChannels).ToArray();
        scale[DemoWorld.CodeChannel] = codeEmphasis;
        return scale;
    }

    /// <summary>latent_sample [B,4,h,w] → tanh(gain · upsample×8(colour mix)) [B,3,8h,8w] in [−1, 1].</summary>
    public static byte[] VaeDecoder()
    {
        var g = new OnnxGraphBuilder("demo_vae_decoder");
        var latent = g.Input("latent_sample", DataType.Float, "batch", DemoWorld.LatentChannels, "height", "width");
        var weight = new float[3 * DemoWorld.LatentChannels];
        for (int c = 0; c < 3; c++)
        {
            weight[c * DemoWorld.LatentChannels + c] = DemoWorld.DecoderGain;
        }
        var convWeight = g.Initializer("decoder.conv_in.weight", weight, 3, DemoWorld.LatentChannels, 1, 1);
        var convBias = g.Initializer("decoder.conv_in.bias", new float[3], 3);
        var colour = g.Node("Conv", new[] { latent, convWeight, convBias }, ("kernel_shape", new long[] { 1, 1 }));
        var upsampled = g.Node("Resize", new[] { colour, "", g.Initializer("upsample_scales", new[] { 1f, 1f, 8f, 8f }, 4) },
            ("mode", "linear"));
        g.Alias(g.Node("Tanh", new[] { upsampled }), "sample");
        g.Output("sample", DataType.Float, "batch", 3, "image_height", "image_width");
        return g.ToBytes();
    }
}
