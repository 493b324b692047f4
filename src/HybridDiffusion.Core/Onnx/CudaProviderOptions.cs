using System.Globalization;

namespace HybridDiffusion.Core.Onnx;

/// <summary>
/// The CUDA execution provider's options for a session: the engine's defaults, with ONNX Runtime option names, then
/// whatever <c>HYBRIDDIFFUSION_CUDA_OPTIONS</c> (<c>name=value;name=value</c>, read by <see cref="SessionFactory"/>)
/// replaces or adds, e.g. for the GPU check to measure another convolution search or TF32 off. README "CUDA" gives the
/// reasons for each default.
/// </summary>
internal static class CudaProviderOptions
{
    public const string Variable = "HYBRIDDIFFUSION_CUDA_OPTIONS";

    /// <summary>The options for <paramref name="deviceId"/>, with <paramref name="overrides"/> (the variable's format) applied.</summary>
    public static Dictionary<string, string> For(int deviceId, string overrides)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = deviceId.ToString(CultureInfo.InvariantCulture),
            // The device arena grows by what is asked, not to the next power of two: for multi-gigabyte UNets the
            // difference between fitting and not.
            ["arena_extend_strategy"] = "kSameAsRequested",
            // cuDNN's heuristic picks each convolution's kernel at once. EXHAUSTIVE times every kernel on the first run
            // of each shape, for every UNet and batch shape of a process: a cost a short CLI run never earns back.
            ["cudnn_conv_algo_search"] = "HEURISTIC",
            // Input copies go on the stream the kernels run on, so they are ordered before the run that reads them.
            ["do_copy_in_default_stream"] = "1",
        };
        foreach (var entry in overrides.Split(';',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = entry.IndexOf('=');
            if (equals <= 0 || equals == entry.Length - 1)
            {
                throw Invalid($"{Variable} holds '{entry}', which is not name=value; write ONNX Runtime CUDA provider options as " +
                    "name=value pairs joined by ';', for example 'cudnn_conv_algo_search=EXHAUSTIVE;use_tf32=0'.");
            }
            options[entry[..equals].Trim()] = entry[(equals + 1)..].Trim();
        }
        if (options.TryGetValue("enable_cuda_graph", out var graph) && graph != "0")
        {
            // A captured graph replays the device addresses of its first run, while the engine binds a fresh device
            // copy of each rewritten input before every run (SessionBinding): the replay would read stale inputs.
            throw Invalid(
                $"{Variable} asks for enable_cuda_graph, which this version cannot honour: its UNet inputs are copied " +
                "to a new device buffer before every run, and a CUDA graph replays the buffers of its first run. Remove it.");
        }
        return options;
    }

    /// <summary>A bad value of the environment variable: an invalid argument that names the variable, not a request setting.</summary>
    internal static HybridDiffusionException Invalid(string message) => new(HybridErrorKind.InvalidArgument, message, Variable);
}
