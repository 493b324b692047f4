using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using HybridDiffusion.Onnx;

namespace HybridDiffusion.Models;

/// <summary>
/// A UNet session and its I/O contract, read from the session rather than assumed:
/// sample [B,C,h,w], timestep (int64 or float; [B] or scalar), encoder_hidden_states [B,tokens,D] → out_sample.
/// </summary>
public sealed class UNetModel : IDisposable
{
    private static readonly string[] KnownInputs = { "sample", "timestep", "encoder_hidden_states" };
    private readonly SessionLease _lease;

    public UNetModel(SessionLease lease, string modelPath)
    {
        _lease = lease;
        ModelPath = modelPath;
        var session = lease.Session;
        var unknown = session.InputMetadata.Keys.Except(KnownInputs).ToList();
        if (unknown.Count > 0)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"UNet '{modelPath}' has inputs this version does not feed ({string.Join(", ", unknown)}). " +
                $"Supported inputs: {string.Join(", ", KnownInputs)}; the model declares: {OrtTensors.Describe(session.InputMetadata)}.", modelPath);
        }
        var sample = OrtTensors.RequireInput(session, "sample", modelPath);
        OrtTensors.RequireFloat(sample, "sample", modelPath);
        LatentChannels = sample.Dimensions.Length == 4 && sample.Dimensions[1] > 0 ? sample.Dimensions[1] : 4;

        var timestep = OrtTensors.RequireInput(session, "timestep", modelPath);
        TimestepType = timestep.ElementDataType;
        if (TimestepType is not (TensorElementType.Int64 or TensorElementType.Float))
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"UNet '{modelPath}' declares timestep as {TimestepType}; supported: int64 or float.", modelPath);
        }
        TimestepIsScalar = timestep.Dimensions.Length == 0;

        var hidden = OrtTensors.RequireInput(session, "encoder_hidden_states", modelPath);
        OrtTensors.RequireFloat(hidden, "encoder_hidden_states", modelPath);
        TextDim = hidden.Dimensions.Length == 3 ? hidden.Dimensions[2] : -1;
        OutputName = session.OutputMetadata.ContainsKey("out_sample") ? "out_sample" : session.OutputMetadata.Keys.First();
    }

    public string ModelPath { get; }

    /// <summary>The execution provider the session runs on.</summary>
    public string ActiveProvider => _lease.ActiveProvider;

    public int LatentChannels { get; }

    /// <summary>The text feature size the UNet expects, or −1 when the export leaves it symbolic.</summary>
    public int TextDim { get; }

    public TensorElementType TimestepType { get; }

    public bool TimestepIsScalar { get; }

    internal string OutputName { get; }

    internal InferenceSession Session => _lease.Session;

    /// <summary>Allocates the buffers one generation reuses for every step of this UNet.</summary>
    public UNetBinding Bind(int batch, int latentHeight, int latentWidth, int tokens, int textDim) =>
        new(this, batch, latentHeight, latentWidth, tokens, textDim);

    public void Dispose() => _lease.Dispose();
}
