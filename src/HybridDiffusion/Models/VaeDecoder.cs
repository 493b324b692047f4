using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Imaging;
using HybridDiffusion.Onnx;

namespace HybridDiffusion.Models;

/// <summary>The VAE decoder session: latents / scaling_factor → RGB in [−1, 1]; float32 or float16 at the boundary.</summary>
public sealed class VaeDecoder : IDisposable
{
    private readonly SessionLease _lease;
    private readonly string _modelPath;

    public VaeDecoder(SessionLease lease, double scalingFactor, string modelPath)
    {
        _lease = lease;
        _modelPath = modelPath;
        ScalingFactor = scalingFactor;
        InputType = OrtTensors.RequireFloatingPoint(OrtTensors.RequireInput(lease.Session, "latent_sample", modelPath).ElementDataType,
            "latent_sample", modelPath);
        OrtTensors.RequireOutput(lease.Session, "sample", modelPath);
    }

    public double ScalingFactor { get; }

    private Microsoft.ML.OnnxRuntime.Tensors.TensorElementType InputType { get; }

    /// <summary>Decodes one latent [channels, h, w] to an image.</summary>
    public RgbImage Decode(ReadOnlySpan<float> latent, int channels, int latentHeight, int latentWidth, RunOptions runOptions)
    {
        var scaled = new float[latent.Length];
        TensorPrimitives.Multiply(latent, (float)(1 / ScalingFactor), scaled);
        using var input = OrtTensors.FloatingInput(InputType, scaled, new long[] { 1, channels, latentHeight, latentWidth }, "latent_sample", _modelPath);
        using var outputs = _lease.Session.Run(runOptions, new[] { "latent_sample" }, new[] { input }, new[] { "sample" });
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        if (shape.Length != 4 || shape[1] != 3)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"'{_modelPath}' returned an image of shape [{string.Join(",", shape)}]; expected [1, 3, height, width].", _modelPath);
        }
        return RgbImage.FromPlanarSigned(OrtTensors.ReadFloats(outputs[0], "sample", _modelPath), (int)shape[3], (int)shape[2]);
    }

    public void Dispose() => _lease.Dispose();
}
