using Microsoft.ML.OnnxRuntime.Tensors;
using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Core.Models;

/// <summary>
/// A UNet session and its I/O contract, read from the session rather than assumed: sample [B,C,h,w] (float32 or
/// float16), timestep (int64, float32 or float16; [B] or scalar), encoder_hidden_states [B,tokens,D], and for SDXL
/// text_embeds [B,P] and time_ids [B,6], and for LCM exports timestep_cond [B,E] → out_sample.
/// </summary>
internal sealed class UNetModel : IDisposable
{
    private static readonly string[] RequiredInputs = { "sample", "timestep", "encoder_hidden_states" };
    private static readonly string[] OptionalInputs = { "text_embeds", "time_ids", "timestep_cond" };
    private readonly SessionLease _lease;

    public UNetModel(SessionLease lease, string modelPath)
    {
        _lease = lease;
        ModelPath = modelPath;
        var session = lease.Session;
        var inputs = session.InputMetadata;
        var unknown = inputs.Keys.Except(RequiredInputs).Except(OptionalInputs).ToList();
        var missing = RequiredInputs.Where(i => !inputs.ContainsKey(i)).ToList();
        if (unknown.Count > 0 || missing.Count > 0)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"UNet '{modelPath}' matches no supported contract: its inputs are {OrtTensors.Describe(inputs)}. " +
                $"Expected {string.Join(", ", RequiredInputs)}, optionally {string.Join(", ", OptionalInputs)} " +
                "(Stable Diffusion 1.5/2.1, SDXL and their distilled UNets exported by Optimum).", modelPath);
        }
        var sample = inputs["sample"];
        SampleType = OrtTensors.RequireFloatingPoint(sample.ElementDataType, "sample", modelPath);
        LatentChannels = sample.Dimensions.Length == 4 && sample.Dimensions[1] > 0 ? sample.Dimensions[1] : 4;

        var timestep = inputs["timestep"];
        TimestepType = timestep.ElementDataType;
        if (TimestepType is not (TensorElementType.Int64 or TensorElementType.Float or TensorElementType.Float16))
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"UNet '{modelPath}' declares timestep as {TimestepType}; supported: int64, float32 or float16.", modelPath);
        }
        TimestepIsScalar = timestep.Dimensions.Length == 0;

        var hidden = inputs["encoder_hidden_states"];
        HiddenStatesType = OrtTensors.RequireFloatingPoint(hidden.ElementDataType, "encoder_hidden_states", modelPath);
        TextDim = hidden.Dimensions.Length == 3 ? hidden.Dimensions[2] : -1;
        PooledDim = OptionalWidth(inputs, "text_embeds");
        TimeIdsCount = OptionalWidth(inputs, "time_ids");
        TimestepCondDim = OptionalWidth(inputs, "timestep_cond");
        if (TimeIdsCount is not (0 or 6))
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"UNet '{modelPath}' takes {TimeIdsCount} time_ids; SDXL's are 6 (original size, crop top-left, target size).", modelPath);
        }
        if ((PooledDim == 0) != (TimeIdsCount == 0))
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"UNet '{modelPath}' has {(PooledDim > 0 ? "text_embeds without time_ids" : "time_ids without text_embeds")}; " +
                "an SDXL UNet takes both.", modelPath);
        }
        OutputName = session.OutputMetadata.ContainsKey("out_sample") ? "out_sample" : session.OutputMetadata.Keys.First();
        OutputType = OrtTensors.RequireFloatingPoint(session.OutputMetadata[OutputName].ElementDataType, OutputName, modelPath);
    }

    public string ModelPath { get; }

    /// <summary>The execution provider the session runs on: Cpu or Cuda.</summary>
    public ExecutionProvider ActiveProvider => _lease.ActiveProvider;

    public int LatentChannels { get; }

    /// <summary>The text feature size the UNet expects, or −1 when the export leaves it symbolic.</summary>
    public int TextDim { get; }

    /// <summary>SDXL's pooled text embedding size (text_embeds), or 0 without that input.</summary>
    public int PooledDim { get; }

    /// <summary>SDXL's micro-conditioning size (time_ids, 6), or 0 without that input.</summary>
    public int TimeIdsCount { get; }

    /// <summary>The guidance embedding size of LCM exports (timestep_cond), or 0 without that input.</summary>
    public int TimestepCondDim { get; }

    public bool IsSdxl => PooledDim > 0;

    public TensorElementType SampleType { get; }

    public TensorElementType HiddenStatesType { get; }

    public TensorElementType OutputType { get; }

    public TensorElementType TimestepType { get; }

    public bool TimestepIsScalar { get; }

    internal string OutputName { get; }

    internal SessionBinding CreateBinding() => _lease.CreateBinding();

    internal NodeMetadata Input(string name) => _lease.Session.InputMetadata[name];

    /// <summary>Allocates the buffers one generation reuses for every step of this UNet.</summary>
    public UNetBinding Bind(int batch, int latentHeight, int latentWidth, int tokens, int textDim) =>
        new(this, batch, latentHeight, latentWidth, tokens, textDim);

    public void Dispose() => _lease.Dispose();

    // The last dimension of an optional [batch, n] input: 0 when absent; a symbolic size is an error (nothing to size the buffer by).
    private int OptionalWidth(IReadOnlyDictionary<string, NodeMetadata> inputs, string name)
    {
        if (!inputs.TryGetValue(name, out var meta))
        {
            return 0;
        }
        OrtTensors.RequireFloatingPoint(meta.ElementDataType, name, ModelPath);
        int width = meta.Dimensions.Length == 2 ? meta.Dimensions[1] : -1;
        if (width <= 0)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"UNet '{ModelPath}' declares {name} with shape [{string.Join(",", meta.Dimensions)}]; expected [batch, n] with a fixed n.", ModelPath);
        }
        return width;
    }
}
