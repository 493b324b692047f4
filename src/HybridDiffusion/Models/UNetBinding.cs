using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HybridDiffusion.Models;

/// <summary>
/// Pre-allocated inputs and outputs of one UNet for one batch shape. The OrtValues wrap (and pin) managed arrays,
/// so a step writes into <see cref="Sample"/>, runs, and reads <see cref="Output"/> without allocating tensors.
/// </summary>
public sealed class UNetBinding : IDisposable
{
    private readonly UNetModel _unet;
    private readonly float[] _sample;
    private readonly float[] _hidden;
    private readonly float[] _output;
    private readonly long[]? _timestepLong;
    private readonly float[]? _timestepFloat;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;
    private readonly string[] _inputNames = { "sample", "timestep", "encoder_hidden_states" };
    private readonly string[] _outputNames;

    internal UNetBinding(UNetModel unet, int batch, int latentHeight, int latentWidth, int tokens, int textDim)
    {
        _unet = unet;
        Batch = batch;
        int latentSize = batch * unet.LatentChannels * latentHeight * latentWidth;
        var latentShape = new long[] { batch, unet.LatentChannels, latentHeight, latentWidth };
        _sample = new float[latentSize];
        _output = new float[latentSize];
        _hidden = new float[batch * tokens * textDim];
        var timestepShape = unet.TimestepIsScalar ? Array.Empty<long>() : new long[] { batch };
        int timestepCount = unet.TimestepIsScalar ? 1 : batch;
        OrtValue timestep;
        if (unet.TimestepType == TensorElementType.Int64)
        {
            _timestepLong = new long[timestepCount];
            timestep = OrtValue.CreateTensorValueFromMemory(_timestepLong, timestepShape);
        }
        else
        {
            _timestepFloat = new float[timestepCount];
            timestep = OrtValue.CreateTensorValueFromMemory(_timestepFloat, timestepShape);
        }
        _inputs = new[]
        {
            OrtValue.CreateTensorValueFromMemory(_sample, latentShape),
            timestep,
            OrtValue.CreateTensorValueFromMemory(_hidden, new long[] { batch, tokens, textDim }),
        };
        _outputs = new[] { OrtValue.CreateTensorValueFromMemory(_output, latentShape) };
        _outputNames = new[] { unet.OutputName };
    }

    public int Batch { get; }

    /// <summary>The model input, [batch, channels, h, w].</summary>
    public Span<float> Sample => _sample;

    /// <summary>The text conditioning, [batch, tokens, features].</summary>
    public Span<float> HiddenStates => _hidden;

    /// <summary>The last run's prediction, [batch, channels, h, w].</summary>
    public ReadOnlySpan<float> Output => _output;

    /// <summary>Total time spent inside session.Run, for the overhead figures.</summary>
    public TimeSpan RunTime { get; private set; }

    public void Run(int timestep, RunOptions runOptions)
    {
        if (_timestepLong is not null)
        {
            Array.Fill(_timestepLong, timestep);
        }
        else
        {
            Array.Fill(_timestepFloat!, timestep);
        }
        long start = Stopwatch.GetTimestamp();
        _unet.Session.Run(runOptions, _inputNames, _inputs, _outputNames, _outputs);
        RunTime += Stopwatch.GetElapsedTime(start);
    }

    public void Dispose()
    {
        foreach (var value in _inputs.Concat(_outputs))
        {
            value.Dispose();
        }
    }
}
