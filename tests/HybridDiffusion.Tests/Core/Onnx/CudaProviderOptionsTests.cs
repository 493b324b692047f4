using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Onnx;

namespace HybridDiffusion.Tests.Core.Onnx;

/// <summary>The CUDA provider's options: the engine's defaults, what the variable may replace, and what it may not ask for.</summary>
public sealed class CudaProviderOptionsTests
{
    [Fact]
    public void TheDefaultsPickKernelsByHeuristicAndCopyOnTheComputeStream()
    {
        var options = CudaProviderOptions.For(deviceId: 1, overrides: "");

        Assert.Equal("1", options["device_id"]);
        Assert.Equal("HEURISTIC", options["cudnn_conv_algo_search"]);
        Assert.Equal("kSameAsRequested", options["arena_extend_strategy"]);
        Assert.Equal("1", options["do_copy_in_default_stream"]);
        Assert.False(options.ContainsKey("enable_cuda_graph"));
    }

    [Fact]
    public void TheVariableReplacesAndAddsOptions()
    {
        var options = CudaProviderOptions.For(0, " cudnn_conv_algo_search = EXHAUSTIVE ; use_tf32=0;;enable_cuda_graph=0");

        Assert.Equal("EXHAUSTIVE", options["cudnn_conv_algo_search"]);
        Assert.Equal("0", options["use_tf32"]);
        Assert.Equal("kSameAsRequested", options["arena_extend_strategy"]);
    }

    [Theory]
    [InlineData("use_tf32")]
    [InlineData("=0")]
    [InlineData("use_tf32=")]
    public void AnEntryThatIsNotNameEqualsValueIsRefusedByTheVariablesName(string entry)
    {
        var error = Assert.Throws<HybridDiffusionException>(() => CudaProviderOptions.For(0, "device_id=0;" + entry));

        Assert.Equal(HybridErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(CudaProviderOptions.Variable, error.Target);
        Assert.Contains($"'{entry}'", error.Message);
    }

    [Fact]
    public void CudaGraphsAreRefusedWhileInputsGetAFreshDeviceCopyEachRun()
    {
        var error = Assert.Throws<HybridDiffusionException>(() => CudaProviderOptions.For(0, "enable_cuda_graph=1"));

        Assert.Equal(HybridErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("enable_cuda_graph", error.Message);
    }
}
