namespace HybridDiffusion.Contracts.Onnx;

/// <summary>Which ONNX Runtime execution provider runs the models.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when it can be used, else the CPU (the reason is logged at verbose level).</summary>
    Auto,

    /// <summary>CUDA only; an error names what is missing when it cannot be used.</summary>
    Cuda,

    /// <summary>The CPU provider.</summary>
    Cpu,
}
