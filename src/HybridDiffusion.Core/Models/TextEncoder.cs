using Microsoft.ML.OnnxRuntime.Tensors;
using HybridDiffusion.Core.Text;

namespace HybridDiffusion.Core.Models;

/// <summary>One text encoder's outputs for a prompt: hidden states [tokens, Dim] and, when the export has them, the
/// penultimate layer's hidden states and a pooled embedding.</summary>
internal sealed record TextEncoding(float[] LastHiddenState, float[]? Penultimate, float[]? Pooled, int Tokens, int Dim);

/// <summary>
/// A CLIP text encoder session with its tokenizer: input_ids (int32 or int64) → last_hidden_state, plus
/// hidden_states.N (SDXL uses the penultimate one) and text_embeds or pooler_output when exported.
/// </summary>
internal sealed class TextEncoder : IDisposable
{
    private readonly SessionLease _lease;
    private readonly bool _int64Ids;
    private readonly string[] _outputs;
    private readonly string? _penultimate;
    private readonly string? _pooled;

    public TextEncoder(SessionLease lease, ClipTokenizer tokenizer, string modelPath)
    {
        _lease = lease;
        ModelPath = modelPath;
        Tokenizer = tokenizer;
        var ids = OrtTensors.RequireInput(lease.Session, "input_ids", modelPath);
        _int64Ids = ids.ElementDataType switch
        {
            TensorElementType.Int64 => true,
            TensorElementType.Int32 => false,
            var other => throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"'{modelPath}' declares input_ids as {other}; expected int32 or int64.", modelPath),
        };
        OrtTensors.RequireOutput(lease.Session, "last_hidden_state", modelPath);
        var layers = lease.Session.OutputMetadata.Keys
            .Where(k => k.StartsWith("hidden_states.", StringComparison.Ordinal) && int.TryParse(k["hidden_states.".Length..], out _))
            .Select(k => int.Parse(k["hidden_states.".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        // hidden_states.0 is the embedding output and hidden_states.L the last layer's, so the penultimate is L − 1.
        _penultimate = layers.Count >= 2 ? $"hidden_states.{layers.Max() - 1}" : null;
        _pooled = new[] { "text_embeds", "pooler_output" }.FirstOrDefault(lease.Session.OutputMetadata.ContainsKey);
        _outputs = new[] { "last_hidden_state", _penultimate, _pooled }.OfType<string>().ToArray();
    }

    public string ModelPath { get; }

    public ClipTokenizer Tokenizer { get; }

    public bool HasPenultimate => _penultimate is not null;

    internal TextEncoding Encode(string prompt, RunOptions runOptions)
    {
        var ids = Tokenizer.Encode(prompt);
        var shape = new long[] { 1, ids.Length };
        using var input = _int64Ids
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(ids, i => (long)i), shape)
            : OrtValue.CreateTensorValueFromMemory(ids, shape);
        IDisposableReadOnlyCollection<OrtValue> run;
        try
        {
            run = _lease.Session.Run(runOptions, new[] { "input_ids" }, new[] { input }, _outputs);
        }
        catch (OnnxRuntimeException ex)
        {
            throw OrtFailure.Of(ex, ModelPath, "encoding a prompt", runOptions);
        }
        using var outputs = run;
        var dims = outputs[0].GetTensorTypeAndShape().Shape;
        if (dims.Length != 3)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"'{ModelPath}' returned last_hidden_state of rank {dims.Length}; expected [batch, tokens, features].", ModelPath);
        }
        float[] Read(string? name) => OrtTensors.ReadFloats(outputs[Array.IndexOf(_outputs, name)], name!, ModelPath);
        return new TextEncoding(Read("last_hidden_state"), _penultimate is null ? null : Read(_penultimate),
            _pooled is null ? null : Read(_pooled), (int)dims[1], (int)dims[2]);
    }

    public void Dispose() => _lease.Dispose();
}
