using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Onnx;

namespace HybridDiffusion.Tests.Core.Onnx;

/// <summary>Models ONNX Runtime cannot open or run end in the engine's message naming the model, never a hang or a stack trace (issue 24).</summary>
public sealed class OnnxInputTests
{
    [LinuxFact]
    public void AModelFileThatIsAPipeIsRefusedBeforeOnnxRuntimeOpensIt()
    {
        using var temp = new TempFolder();
        var copy = temp.CopyFrom(DemoPair.Paths.BaseModel, "base");
        var unet = Path.Combine(copy, "unet", "model.onnx");
        File.Delete(unet);
        Fifo.Make(unet);
        var run = Task.Run(() => Assert.Throws<HybridDiffusionException>(() =>
            TestEngine.Shared.Generate(DemoPair.Request("a photo", GenerationMode.Base, new long[] { 0 }) with { BaseModel = copy }).ToList()));
        Assert.True(run.Wait(Fifo.Prompt), "loading a pipe as a model hung");
        Assert.Equal(HybridErrorKind.InvalidModel, run.Result.Kind);
        Assert.Contains(unet, run.Result.Message);
    }

    [Fact]
    public void AnOnnxRuntimeFailureInARunNamesTheModelAndAStoppedRunIsACancellation()
    {
        // A graph that fails only when run: its input of any length is reshaped to exactly 3 values.
        var graph = new OnnxGraphBuilder("reshape");
        var x = graph.Input("x", Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, "n");
        graph.Alias(graph.Node("Reshape", new[] { x, graph.Ints(3) }), "y");
        graph.Output("y", Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, 3);
        using var session = new InferenceSession(graph.ToBytes());
        using var input = OrtValue.CreateTensorValueFromMemory(new float[2], new long[] { 2 });
        using var runOptions = new RunOptions();
        void Run() => session.Run(runOptions, new[] { "x" }, new[] { input }, new[] { "y" }).Dispose();

        Exception Mapped()
        {
            try
            {
                Run();
            }
            catch (OnnxRuntimeException failure)
            {
                return OrtFailure.Of(failure, "/m/unet/model.onnx", "denoising", runOptions);
            }
            throw new InvalidOperationException("the graph ran");
        }

        var ex = Assert.IsType<HybridDiffusionException>(Mapped());
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains("'/m/unet/model.onnx' failed in ONNX Runtime while denoising", ex.Message);
        Assert.IsType<OnnxRuntimeException>(ex.InnerException);

        runOptions.Terminate = true;
        Assert.IsType<OperationCanceledException>(Mapped());
    }
}
