using System.Diagnostics;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HybridDiffusion.Core.Models;

/// <summary>
/// Pre-allocated inputs and outputs of one UNet for one batch shape, bound once with a <see cref="SessionBinding"/>. The
/// OrtValues wrap (and pin) managed arrays, so a step writes into <see cref="Sample"/>, runs, and reads
/// <see cref="Output"/> without allocating; float16 models convert at this boundary. The conditioning inputs (text,
/// SDXL's pooled text and time ids, LCM's guidance embedding) are filled once per prompt. Each input is refreshed when
/// it was rewritten (sample and timestep every run, conditioning when committed): on CUDA, where a bound host input is
/// copied to the device at binding time, that is what makes the session see it, and unchanged conditioning stays on
/// the device between steps.
/// </summary>
internal sealed class UNetBinding : IDisposable
{
    private readonly TensorBuffer _sample;
    private readonly TensorBuffer _hidden;
    private readonly TensorBuffer? _textEmbeds;
    private readonly TensorBuffer? _timeIds;
    private readonly TensorBuffer? _timestepCond;
    private readonly TensorBuffer _output;
    private readonly long[]? _timestepLong;
    private readonly TensorBuffer? _timestepFloat;
    private readonly OrtValue _timestep;
    private readonly (string Name, TensorBuffer Buffer)[] _conditioning;
    private readonly SessionBinding _binding;
    private readonly string _modelPath;

    internal UNetBinding(UNetModel unet, int batch, int latentHeight, int latentWidth, int tokens, int textDim)
    {
        Batch = batch;
        string path = _modelPath = unet.ModelPath;
        var latentShape = new long[] { batch, unet.LatentChannels, latentHeight, latentWidth };
        _sample = new TensorBuffer(unet.SampleType, latentShape, "sample", path);
        _output = new TensorBuffer(unet.OutputType, latentShape, unet.OutputName, path);
        _hidden = new TensorBuffer(unet.HiddenStatesType, new long[] { batch, tokens, textDim }, "encoder_hidden_states", path);
        var timestepShape = unet.TimestepIsScalar ? Array.Empty<long>() : new long[] { batch };
        if (unet.TimestepType == TensorElementType.Int64)
        {
            _timestepLong = new long[unet.TimestepIsScalar ? 1 : batch];
            _timestep = OrtValue.CreateTensorValueFromMemory(_timestepLong, timestepShape);
        }
        else
        {
            _timestepFloat = new TensorBuffer(unet.TimestepType, timestepShape, "timestep", path);
            _timestep = _timestepFloat.Value;
        }
        var conditioning = new List<(string, TensorBuffer)> { ("encoder_hidden_states", _hidden) };
        TensorBuffer? Optional(string name, int width)
        {
            if (width == 0)
            {
                return null;
            }
            var buffer = new TensorBuffer(unet.Input(name).ElementDataType, new long[] { batch, width }, name, path);
            conditioning.Add((name, buffer));
            return buffer;
        }
        _textEmbeds = Optional("text_embeds", unet.PooledDim);
        _timeIds = Optional("time_ids", unet.TimeIdsCount);
        _timestepCond = Optional("timestep_cond", unet.TimestepCondDim);
        _conditioning = conditioning.ToArray();
        // Bound once: every run reads and writes these same pinned buffers, with no per-step name marshalling where
        // the session reads them in place (CPU).
        _binding = unet.CreateBinding();
        _binding.BindInput("sample", _sample.Value);
        _binding.BindInput("timestep", _timestep);
        foreach (var (name, buffer) in _conditioning)
        {
            _binding.BindInput(name, buffer.Value);
        }
        _binding.BindOutput(unet.OutputName, _output.Value);
    }

    public int Batch { get; }

    /// <summary>The model input, [batch, channels, h, w].</summary>
    public Span<float> Sample => _sample.Values;

    /// <summary>The text conditioning, [batch, tokens, features].</summary>
    public Span<float> HiddenStates => _hidden.Values;

    /// <summary>SDXL's pooled text embedding, [batch, P]; empty for other UNets.</summary>
    public Span<float> TextEmbeds => _textEmbeds is null ? Span<float>.Empty : _textEmbeds.Values;

    /// <summary>SDXL's time ids, [batch, 6]; empty for other UNets.</summary>
    public Span<float> TimeIds => _timeIds is null ? Span<float>.Empty : _timeIds.Values;

    /// <summary>LCM's guidance embedding, [batch, E]; empty for other UNets.</summary>
    public Span<float> TimestepCond => _timestepCond is null ? Span<float>.Empty : _timestepCond.Values;

    /// <summary>The last run's prediction, [batch, channels, h, w].</summary>
    public ReadOnlySpan<float> Output => _output.Values;

    /// <summary>Total time spent inside session.Run, for the overhead figures.</summary>
    public TimeSpan RunTime { get; private set; }

    /// <summary>Hands the filled conditioning to the session (converted for a float16 UNet); call after filling it.</summary>
    public void CommitConditioning()
    {
        foreach (var (name, buffer) in _conditioning)
        {
            buffer.Upload();
            _binding.Refresh(name, buffer.Value);
        }
    }

    /// <param name="timestep">
    /// Fed as the export declares it: float as is, int64 truncated toward zero, as Optimum's ONNX pipeline casts a
    /// fractional timestep (numpy astype) for an int64 input.
    /// </param>
    public void Run(double timestep, RunOptions runOptions)
    {
        if (_timestepLong is not null)
        {
            Array.Fill(_timestepLong, (long)timestep);
        }
        else
        {
            _timestepFloat!.Values.Fill((float)timestep);
            _timestepFloat.Upload();
        }
        _sample.Upload();
        _binding.Refresh("timestep", _timestep);
        _binding.Refresh("sample", _sample.Value);
        long start = Stopwatch.GetTimestamp();
        try
        {
            _binding.Run(runOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw OrtFailure.Of(ex, _modelPath, "denoising", runOptions);
        }
        RunTime += Stopwatch.GetElapsedTime(start);
        _output.Download();
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var buffer in new[] { _sample, _hidden, _textEmbeds, _timeIds, _timestepCond, _output, _timestepFloat })
        {
            buffer?.Dispose();
        }
        if (_timestepLong is not null)
        {
            _timestep.Dispose();
        }
    }
}
