using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using HybridDiffusion.Onnx;
using HybridDiffusion.Text;

namespace HybridDiffusion.Models;

/// <summary>A prompt's embedding: the encoder's hidden states [77, Dim].</summary>
public sealed record TextEmbedding(float[] HiddenStates, int SequenceLength, int Dim);

/// <summary>A CLIP text encoder session with its tokenizer (input_ids int32 or int64 → last_hidden_state).</summary>
public sealed class TextEncoder : IDisposable
{
    private readonly SessionLease _lease;
    private readonly string _modelPath;
    private readonly bool _int64Ids;
    private readonly string _outputName;

    public TextEncoder(SessionLease lease, ClipTokenizer tokenizer, string modelPath)
    {
        _lease = lease;
        _modelPath = modelPath;
        Tokenizer = tokenizer;
        var ids = OrtTensors.RequireInput(lease.Session, "input_ids", modelPath);
        _int64Ids = ids.ElementDataType == TensorElementType.Int64;
        _outputName = OrtTensors.RequireOutput(lease.Session, "last_hidden_state", modelPath);
    }

    public ClipTokenizer Tokenizer { get; }

    public TextEmbedding Encode(string prompt, RunOptions runOptions)
    {
        var ids = Tokenizer.Encode(prompt);
        var shape = new long[] { 1, ids.Length };
        using var input = _int64Ids
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(ids, i => (long)i), shape)
            : OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var outputs = _lease.Session.Run(runOptions, new[] { "input_ids" }, new[] { input }, new[] { _outputName });
        var hidden = outputs[0];
        var dims = hidden.GetTensorTypeAndShape().Shape;
        if (dims.Length != 3)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"'{_modelPath}' returned {_outputName} of rank {dims.Length}; expected [batch, tokens, features].", _modelPath);
        }
        return new TextEmbedding(hidden.GetTensorDataAsSpan<float>().ToArray(), (int)dims[1], (int)dims[2]);
    }

    public void Dispose() => _lease.Dispose();
}
