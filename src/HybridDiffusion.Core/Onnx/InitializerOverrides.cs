namespace HybridDiffusion.Core.Onnx;

/// <summary>
/// Replacement values for named initializers of one model (merged slider weights), given to ONNX Runtime with
/// SessionOptions.AddInitializer when the session is created. The session cache owns them: they must outlive the
/// session, and are disposed with it. <see cref="Variant"/> names them in the cache key and the session listing.
/// </summary>
public sealed class InitializerOverrides : IDisposable
{
    public InitializerOverrides(string variant, IReadOnlyList<(string Name, OrtValue Value)> values)
    {
        Variant = variant;
        Values = values;
    }

    public string Variant { get; }

    public IReadOnlyList<(string Name, OrtValue Value)> Values { get; }

    public void Dispose()
    {
        foreach (var (_, value) in Values)
        {
            value.Dispose();
        }
    }
}
