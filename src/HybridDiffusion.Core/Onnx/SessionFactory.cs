using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Core.Onnx;

/// <summary>
/// Creates InferenceSessions with the provider choice rules: Auto falls back to the CPU, Cuda fails loudly. One factory
/// belongs to one session cache, and remembers for it that CUDA failed, so Auto stops retrying it for every model.
/// </summary>
internal sealed class SessionFactory
{
    public const string CpuProviderName = "CPUExecutionProvider";
    public const string CudaProviderName = "CUDAExecutionProvider";

    private volatile string? _cudaUnavailableReason;

    /// <summary>ONNX Runtime's name of a provider a session runs on (Cpu or Cuda; Auto is only ever asked for).</summary>
    public static string NameOf(ExecutionProvider active) => active == ExecutionProvider.Cuda ? CudaProviderName : CpuProviderName;

    public (InferenceSession Session, ExecutionProvider ActiveProvider) Create(string modelPath, SessionSettings settings, IEngineLog log,
        InitializerOverrides? overrides = null)
    {
        // A pipe would block ONNX Runtime's open forever, a device would be read without end: check before it opens.
        InputFile.Check(modelPath, "Model file", InputLimits.OnnxModelBytes, HybridErrorKind.InvalidModel);
        if (overrides is not null)
        {
            // AddInitializer values are used only when they live on the device ORT plans for them; these are host
            // arrays, so a session with replaced weights runs on the CPU rather than silently ignoring them on a GPU.
            if (settings.Provider == ExecutionProvider.Cuda)
            {
                throw new HybridDiffusionException(HybridErrorKind.ProviderUnavailable,
                    $"Sliders are merged into '{modelPath}' on the CPU in this version; use the Auto or Cpu provider with sliders.", "Provider");
            }
            return (CreateWith(modelPath, settings, useCuda: false, overrides), ExecutionProvider.Cpu);
        }
        var cudaUnavailableReason = _cudaUnavailableReason;
        if (settings.Provider != ExecutionProvider.Cpu && cudaUnavailableReason is null)
        {
            try
            {
                return (CreateWith(modelPath, settings, useCuda: true), ExecutionProvider.Cuda);
            }
            catch (OnnxRuntimeException ex) when (IsProviderFailure(ex))
            {
                _cudaUnavailableReason = ex.Message;
                if (settings.Provider == ExecutionProvider.Cuda)
                {
                    throw CudaError(ex.Message, ex);
                }
                log.Verbose($"CUDA execution provider unavailable ({OrtFailure.FirstLine(ex.Message)}); using the CPU provider.");
            }
        }
        else if (settings.Provider == ExecutionProvider.Cuda)
        {
            throw CudaError(cudaUnavailableReason!, null);
        }

        return (CreateWith(modelPath, settings, useCuda: false), ExecutionProvider.Cpu);
    }

    private static InferenceSession CreateWith(string modelPath, SessionSettings settings, bool useCuda, InitializerOverrides? overrides = null)
    {
        using var options = new SessionOptions
        {
            // The layout optimisations of level ALL (NCHWc Conv) take the model's stored Conv weights and ignore
            // AddInitializer replacements (caught by SliderMergeTests), so sessions with replaced weights stop at EXTENDED.
            GraphOptimizationLevel = overrides is null ? GraphOptimizationLevel.ORT_ENABLE_ALL : GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            // A UNet is one chain of operators: parallelism lives inside them (intra-op), so nodes run in order on one
            // inter-op thread. Fixed input shapes per binding let the memory pattern plan every activation once, and
            // the CPU arena keeps those buffers from run to run.
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            EnableMemoryPattern = true,
            EnableCpuMemArena = true,
        };
        // Each session has its own pool, whose threads by default spin after a run waiting for more work. A hybrid
        // alternates base UNet, distilled UNet and VAE, so idle pools spin on the cores the next session needs
        // (measured on the sdxl-heavy fixture, 2 cores: hybrid ÷ distilled 1.42 spinning, 0.89 not; the demo pair is
        // unchanged). Threads sleep at once instead.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (settings.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = settings.IntraOpThreads;
        }
        if (useCuda)
        {
            // The V2 entry point goes through ORT's API table; the legacy export is absent from some builds.
            using var cuda = new OrtCUDAProviderOptions();
            // The engine's own options first: this loads the provider library, so a failure here is the provider's
            // (missing CUDA libraries); a failure on the requested ones after it is the variable's.
            cuda.UpdateOptions(CudaProviderOptions.For(settings.DeviceId, overrides: ""));
            var requested = Environment.GetEnvironmentVariable(CudaProviderOptions.Variable);
            if (!string.IsNullOrWhiteSpace(requested))
            {
                try
                {
                    cuda.UpdateOptions(CudaProviderOptions.For(settings.DeviceId, requested));
                }
                catch (OnnxRuntimeException ex)
                {
                    throw CudaProviderOptions.Invalid(
                        $"ONNX Runtime refused the CUDA provider options '{requested}' from {CudaProviderOptions.Variable}: " +
                        $"{OrtFailure.FirstLine(ex.Message)} Use the option names of ONNX Runtime's CUDA execution provider, or unset the variable.");
                }
            }
            options.AppendExecutionProvider_CUDA(cuda);
        }
        foreach (var (name, value) in overrides?.Values ?? Array.Empty<(string, OrtValue)>())
        {
            options.AddInitializer(name, value);
        }
        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException ex) when (!useCuda || !IsProviderFailure(ex))
        {
            throw new HybridDiffusionException(
                HybridErrorKind.InvalidModel,
                $"ONNX Runtime could not load '{modelPath}': {OrtFailure.FirstLine(ex.Message)} " +
                "The file may be truncated, damaged or not an ONNX model; export or copy it again.",
                modelPath,
                ex);
        }
    }

    // Provider failures come from a missing provider library, CUDA runtime or device, not from the model itself.
    private static bool IsProviderFailure(OnnxRuntimeException ex)
    {
        var text = ex.Message;
        return text.Contains("CUDA", StringComparison.OrdinalIgnoreCase)
            || text.Contains("provider", StringComparison.OrdinalIgnoreCase)
            || text.Contains("cudnn", StringComparison.OrdinalIgnoreCase);
    }

    private static HybridDiffusionException CudaError(string reason, Exception? inner) => new(
        HybridErrorKind.ProviderUnavailable,
        $"The CUDA execution provider cannot be used: {OrtFailure.FirstLine(reason)} " +
        "It needs the CUDA flavour of HybridDiffusion (built with -p:HybridCuda=true, which brings ONNX Runtime's CUDA " +
        "provider), the CUDA 13 and cuDNN 9 libraries on the library path, and an NVIDIA GPU. " +
        "Choose the CPU or the automatic provider to run on the CPU.",
        "Provider",
        inner);
}
