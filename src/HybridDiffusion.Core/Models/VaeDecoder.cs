namespace HybridDiffusion.Core.Models;

/// <summary>The VAE decoder session: latents / scaling_factor → RGB in [−1, 1]; float32 or float16 at the boundary.</summary>
internal sealed class VaeDecoder : IDisposable
{
    private readonly SessionLease _lease;

    public VaeDecoder(SessionLease lease, double scalingFactor, string modelPath)
    {
        _lease = lease;
        ModelPath = modelPath;
        ScalingFactor = scalingFactor;
        InputType = OrtTensors.RequireFloatingPoint(OrtTensors.RequireInput(lease.Session, "latent_sample", modelPath).ElementDataType,
            "latent_sample", modelPath);
        OrtTensors.RequireOutput(lease.Session, "sample", modelPath);
    }

    public double ScalingFactor { get; }

    public string ModelPath { get; }

    private Microsoft.ML.OnnxRuntime.Tensors.TensorElementType InputType { get; }

    /// <summary>Decodes one latent [channels, h, w] to an image.</summary>
    public RgbImage Decode(float[] latent, int channels, int latentHeight, int latentWidth, RunOptions runOptions) =>
        Decode(new[] { latent }, channels, latentHeight, latentWidth, runOptions)[0];

    /// <summary>Decodes latents [channels, h, w] of one size to images, in one batched run.</summary>
    public RgbImage[] Decode(IReadOnlyList<float[]> latents, int channels, int latentHeight, int latentWidth, RunOptions runOptions)
    {
        int size = channels * latentHeight * latentWidth;
        var scaled = new float[latents.Count * size];
        for (int i = 0; i < latents.Count; i++)
        {
            RequireFinite(latents[i], "denoised latents");
            TensorPrimitives.Multiply(latents[i], (float)(1 / ScalingFactor), scaled.AsSpan(i * size, size));
        }
        using var input = OrtTensors.FloatingInput(InputType, scaled, new long[] { latents.Count, channels, latentHeight, latentWidth }, "latent_sample", ModelPath);
        IDisposableReadOnlyCollection<OrtValue> run;
        try
        {
            run = _lease.Session.Run(runOptions, new[] { "latent_sample" }, new[] { input }, new[] { "sample" });
        }
        catch (OnnxRuntimeException ex)
        {
            throw OrtFailure.Of(ex, ModelPath, "decoding latents", runOptions);
        }
        using var outputs = run;
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        if (shape.Length != 4 || shape[0] != latents.Count || shape[1] != 3)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"'{ModelPath}' returned images of shape [{string.Join(",", shape)}]; expected [{latents.Count}, 3, height, width].", ModelPath);
        }
        // A float32 output is read in place: a copy would be a large-object-heap array per image.
        ReadOnlySpan<float> pixels = outputs[0].GetTensorTypeAndShape().ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float
            ? outputs[0].GetTensorDataAsSpan<float>()
            : OrtTensors.ReadFloats(outputs[0], "sample", ModelPath);
        RequireFinite(pixels, "decoded pixels");
        int width = (int)shape[3], height = (int)shape[2], image = 3 * width * height;
        var images = new RgbImage[latents.Count];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = RgbImage.FromPlanarSigned(pixels.Slice(i * image, image), width, height);
        }
        return images;
    }

    // NaN or infinity would be written as a solid black picture with success: fail instead, saying where to look.
    private void RequireFinite(ReadOnlySpan<float> values, string what)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"The {what} hold NaN or infinity (decoder '{ModelPath}'), so no image was written. The model pair or its configs produce " +
                    "invalid numbers: check scheduler_config.json (beta_start, beta_end), vae_decoder/config.json (scaling_factor), " +
                    "slider strengths, and a float16 export that overflows.", ModelPath);
            }
        }
    }

    public void Dispose() => _lease.Dispose();
}
