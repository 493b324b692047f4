namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// Noise recorded elsewhere (diffusers' reference cases), handed out tensor by tensor in the order it was drawn. A batch
/// of several images drew one tensor per step for all of them; the offset picks this image's part.
/// </summary>
public sealed class RecordedNoise : INoiseSource
{
    private readonly IReadOnlyList<float[]> _tensors;
    private readonly int _offset;
    private int _next;

    public RecordedNoise(IReadOnlyList<float[]> tensors, int offset = 0)
    {
        _tensors = tensors;
        _offset = offset;
    }

    /// <summary>How many tensors the run has taken.</summary>
    public int Used => _next;

    public void Fill(Span<float> destination, float scale = 1f)
    {
        if (_next >= _tensors.Count)
        {
            throw HybridDiffusionException.Argument(SettingId.RecordedNoise,
                $"The run drew noise {_next + 1} times, but only {_tensors.Count} noise tensors were recorded.");
        }
        var source = _tensors[_next++];
        if (_offset + destination.Length > source.Length)
        {
            throw HybridDiffusionException.Argument(SettingId.RecordedNoise,
                $"Recorded noise tensor {_next - 1} holds {source.Length} values; the run needs {destination.Length} from offset {_offset}.");
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(source.AsSpan(_offset, destination.Length), scale, destination);
    }
}
