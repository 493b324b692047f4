using DataType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Demo;

/// <summary>
/// A small image-embedding model in the shape of real ones (one float image input, one [batch, D] output), so the
/// embedding metric runs without downloads: values in [0, 1] are centred to [−1, 1], average-pooled to an 8×8 grid
/// per channel, randomly projected (fixed seed) and squashed with tanh.
/// </summary>
internal static class DemoEmbedding
{
    public const int DefaultSize = 64;
    public const int Dimensions = 64;
    private const int Grid = 8;
    private const long ProjectionSeed = 20240531;

    /// <param name="size">Side of the square input (a multiple of 8).</param>
    /// <param name="layout">NCHW or NHWC input.</param>
    /// <param name="fixedBatch">A fixed batch dimension, or null for a dynamic one.</param>
    /// <param name="channels">Input channels; anything but 3 makes a model with the wrong contract, for tests.</param>
    public static byte[] Build(int size = DefaultSize, TensorLayout layout = TensorLayout.Nchw, long? fixedBatch = null, int channels = 3)
    {
        if (size % Grid != 0)
        {
            throw new ArgumentException($"The demo embedding's input size must be a multiple of {Grid}; got {size}.", nameof(size));
        }
        var g = new OnnxGraphBuilder("demo_image_embedding");
        object batch = fixedBatch is long b ? b : "batch";
        var input = layout == TensorLayout.Nchw
            ? g.Input("pixel_values", DataType.Float, batch, channels, size, size)
            : g.Input("pixel_values", DataType.Float, batch, size, size, channels);
        var planar = layout == TensorLayout.Nchw ? input : g.Node("Transpose", new[] { input }, ("perm", new long[] { 0, 3, 1, 2 }));
        var centred = g.Node("Mul", new[] { g.Node("Sub", new[] { planar, g.Scalar(0.5f) }), g.Scalar(2f) });
        int cell = size / Grid;
        var pooled = g.Node("AveragePool", new[] { centred }, ("kernel_shape", new long[] { cell, cell }), ("strides", new long[] { cell, cell }));
        var flat = g.Node("Flatten", new[] { pooled }, ("axis", 1L));
        int features = channels * Grid * Grid;
        var projection = new float[features * Dimensions];
        new GaussianNoise(ProjectionSeed).Fill(projection, 1f / MathF.Sqrt(features));
        var weights = g.Initializer("visual_projection.weight", projection, features, Dimensions);
        g.Alias(g.Node("Tanh", new[] { g.Node("MatMul", new[] { flat, weights }) }), "image_embeds");
        g.Output("image_embeds", DataType.Float, batch, Dimensions);
        return g.ToBytes();
    }
}
