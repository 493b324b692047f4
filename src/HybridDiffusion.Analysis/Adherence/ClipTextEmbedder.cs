using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Text;

namespace HybridDiffusion.Analysis.Adherence;

/// <summary>
/// Runs a CLIP text model as Optimum exports it (CLIPTextModelWithProjection: input_ids [batch, 77] int64 or int32, maybe
/// attention_mask; output text_embeds [batch, D]) on prompts tokenised by the engine's CLIP tokenizer from the vocab.json
/// and merges.txt beside the model, and returns unit-length prompt embeddings.
/// </summary>
internal sealed class ClipTextEmbedder : IDisposable
{
    private const string InputIds = "input_ids", AttentionMask = "attention_mask", TextEmbeds = "text_embeds";

    private readonly SessionLease _lease;
    private readonly ClipTokenizer _tokenizer;
    private readonly string _modelPath;
    private readonly bool _int32Ids;
    private readonly bool _takesMask;

    private ClipTextEmbedder(SessionLease lease, ClipTokenizer tokenizer, string modelPath, bool int32Ids, bool takesMask)
    {
        _lease = lease;
        _tokenizer = tokenizer;
        _modelPath = modelPath;
        _int32Ids = int32Ids;
        _takesMask = takesMask;
    }

    public static ClipTextEmbedder Open(HybridEngine engine, string modelPath, ExecutionProvider provider, IEngineLog log)
    {
        modelPath = Path.GetFullPath(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"CLIP text model '{modelPath}' does not exist.", modelPath);
        }
        var tokenizer = ClipTokenizer.Load(Path.GetDirectoryName(modelPath)!);
        var lease = engine.Sessions.Acquire(modelPath, new SessionSettings(provider), log);
        try
        {
            var inputs = lease.Session.InputMetadata;
            var outputs = lease.Session.OutputMetadata;
            if (!inputs.TryGetValue(InputIds, out var ids) || ids.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32)
                || inputs.Keys.Any(k => k is not (InputIds or AttentionMask)))
            {
                throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                    $"CLIP text model '{modelPath}' has inputs {OrtTensors.Describe(inputs)}; expected input_ids (int64 or int32 [batch, 77]) and at most attention_mask.", modelPath);
            }
            if (!outputs.ContainsKey(TextEmbeds))
            {
                throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                    $"CLIP text model '{modelPath}' has no text_embeds output (its outputs: {OrtTensors.Describe(outputs)}). A CLIP score needs the projected " +
                    "prompt embedding: export the text model with its projection (Optimum's text model of a CLIPModel, CLIPTextModelWithProjection), not the bare text encoder.", modelPath);
            }
            return new ClipTextEmbedder(lease, tokenizer, modelPath, ids.ElementDataType == TensorElementType.Int32, inputs.ContainsKey(AttentionMask));
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The unit-length embedding of one prompt.</summary>
    public float[] Embed(string prompt)
    {
        var ids = _tokenizer.Encode(prompt);
        var shape = new long[] { 1, ids.Length };
        // Real tokens up to and including the first end-of-text; padding after it is masked out.
        int end = Array.IndexOf(ids, _tokenizer.EosId, 1);
        var values = new List<OrtValue>();
        try
        {
            values.Add(_int32Ids ? OrtValue.CreateTensorValueFromMemory(ids, shape) : OrtValue.CreateTensorValueFromMemory(ids.Select(i => (long)i).ToArray(), shape));
            var names = new List<string> { InputIds };
            if (_takesMask)
            {
                values.Add(OrtValue.CreateTensorValueFromMemory(ids.Select((_, i) => i <= end ? 1L : 0L).ToArray(), shape));
                names.Add(AttentionMask);
            }
            using var runOptions = new RunOptions();
            using var outputs = _lease.Session.Run(runOptions, names, values, new[] { TextEmbeds });
            var info = outputs[0].GetTensorTypeAndShape();
            if (info.ElementDataType != TensorElementType.Float || info.Shape.Length != 2 || info.Shape[0] != 1)
            {
                throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                    $"CLIP text model '{_modelPath}' returned {info.ElementDataType}[{string.Join(",", info.Shape)}] from text_embeds; expected float32 [batch, D] (one embedding per prompt).", _modelPath);
            }
            var embedding = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            float norm = TensorPrimitives.Norm<float>(embedding);
            if (!float.IsFinite(norm) || norm == 0)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"CLIP text model '{_modelPath}' returned a {(norm == 0 ? "zero" : "non-finite")} embedding for '{MessageText.Quote(prompt, 80)}'; a cosine needs a non-zero, finite vector.", _modelPath);
            }
            TensorPrimitives.Divide(embedding, norm, embedding);
            return embedding;
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    public void Dispose() => _lease.Dispose();
}
