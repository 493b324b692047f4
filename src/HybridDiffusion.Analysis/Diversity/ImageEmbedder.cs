using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using HybridDiffusion.Core.Onnx;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Runs an ONNX image-embedding model in batches: the model's own feature vectors (what FID and KID compare) and
/// unit-length copies of them (what cosine distance compares). The input contract is read from the session: one float
/// input [batch, 3, H, W] or [batch, H, W, 3]; the first output holds [batch, D] (extra unit dimensions allowed). The
/// model's vectors are cached per (preprocessing, image content) with the model's session in the engine's session
/// cache, so an image is embedded once whatever the number of metrics: they last as long as the session, and clearing
/// it releases them too.
/// </summary>
internal sealed class ImageEmbedder : IDisposable
{
    private const int CacheLimit = 20_000;

    private readonly SessionLease _lease;
    private readonly EmbeddingMemo _cache;
    private readonly string _modelPath;
    private readonly string _modelName;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly int _batchSize;

    private ImageEmbedder(SessionLease lease, string modelPath, string modelName, EmbeddingPreprocessing preprocessing, TensorLayout layout, int batchSize)
    {
        _lease = lease;
        _modelPath = modelPath;
        _modelName = modelName;
        Preprocessing = preprocessing;
        Layout = layout;
        _batchSize = batchSize;
        _inputName = lease.Session.InputMetadata.Keys.First();
        _outputName = lease.Session.OutputMetadata.Keys.First();
        _cache = lease.Attached(() => new EmbeddingMemo());
    }

    public EmbeddingPreprocessing Preprocessing { get; }

    public TensorLayout Layout { get; }

    /// <param name="engine">The engine whose session cache holds the model's session (and its cached embeddings).</param>
    /// <param name="log">Hears how the model is loaded and read; null reports to the engine's log.</param>
    /// <param name="role">The setting that names the model: its errors say which of a request's models failed.</param>
    public static ImageEmbedder Open(HybridEngine engine, EmbeddingOptions options, IEngineLog? log = null, SettingId role = SettingId.EmbeddingModel)
    {
        log ??= engine.Log;
        var preprocessing = EmbeddingPreprocessing.For(options);
        var modelPath = Path.GetFullPath(options.ModelPath);
        var modelName = ModelName(role);
        if (!File.Exists(modelPath))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"{modelName} '{modelPath}' does not exist.", modelPath);
        }
        var lease = engine.Sessions.Acquire(modelPath, new SessionSettings(options.Provider), log);
        try
        {
            var (layout, size, batch) = ReadContract(lease.Session, modelPath, modelName, preprocessing, options);
            if (size != preprocessing.Size)
            {
                log.Verbose($"{modelName} '{modelPath}' takes {size}x{size} images; resizing to that instead of the preset's {preprocessing.Size}.");
                preprocessing = preprocessing with { Size = size };
            }
            return new ImageEmbedder(lease, modelPath, modelName, preprocessing with { Layout = layout }, layout, batch ?? options.BatchSize);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The SHA-256 of the model file (hex): what reference statistics record to refuse another model's features.</summary>
    public string ModelSha256()
    {
        using var stream = File.OpenRead(_modelPath);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>One unit-length embedding per image, in order: the model's vectors, normalised.</summary>
    public float[][] Embed(IReadOnlyList<UnitImage> images, IProgress<double>? progress, CancellationToken cancellation) =>
        Features(images, progress, cancellation).Select(Normalised).ToArray();

    /// <summary>The model's own feature vector per image, in order (shared with the cache: callers must not change them).</summary>
    public float[][] Features(IReadOnlyList<UnitImage> images, IProgress<double>? progress, CancellationToken cancellation)
    {
        var result = new float[images.Count][];
        var keys = images.Select(Key).ToArray();
        var missing = Enumerable.Range(0, images.Count).Where(i => !_cache.TryGetValue(keys[i], out result[i]!)).ToList();
        int tensorSize = 3 * Preprocessing.Size * Preprocessing.Size;
        for (int start = 0; start < missing.Count; start += _batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var batch = missing.Skip(start).Take(_batchSize).ToArray();
            // A fixed batch dimension must be filled; padding rows are zeros and their outputs are ignored.
            int rows = _batchSize;
            var input = new float[rows * tensorSize];
            Parallel.For(0, batch.Length, k => Preprocessing.Write(images[batch[k]], Layout, input.AsSpan(k * tensorSize, tensorSize)));
            var embeddings = Run(input, rows, batch.Length);
            for (int k = 0; k < batch.Length; k++)
            {
                result[batch[k]] = embeddings[k];
                if (_cache.Count < CacheLimit)
                {
                    _cache[keys[batch[k]]] = embeddings[k];
                }
            }
            progress?.Report(Math.Min(1.0, (start + batch.Length) / (double)missing.Count));
        }
        return result;
    }

    public void Dispose() => _lease.Dispose();

    private float[][] Run(float[] input, int rows, int used)
    {
        var shape = Layout == TensorLayout.Nchw
            ? new long[] { rows, 3, Preprocessing.Size, Preprocessing.Size }
            : new long[] { rows, Preprocessing.Size, Preprocessing.Size, 3 };
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var outputs = _lease.Session.Run(runOptions, new[] { _inputName }, new[] { value }, new[] { _outputName });
        var output = outputs[0];
        var info = output.GetTensorTypeAndShape();
        if (info.ElementDataType != TensorElementType.Float || info.Shape.Length < 2 || info.Shape[0] != rows)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"{_modelName} '{_modelPath}' returned {info.ElementDataType}[{string.Join(",", info.Shape)}] from '{_outputName}'; " +
                $"expected float32 [{rows}, D] (one embedding per image).", _modelPath);
        }
        var data = output.GetTensorDataAsSpan<float>();
        int dim = data.Length / rows;
        var result = new float[used][];
        for (int k = 0; k < used; k++)
        {
            result[k] = data.Slice(k * dim, dim).ToArray();
            if (!Array.TrueForAll(result[k], float.IsFinite))
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"{_modelName} '{_modelPath}' returned an embedding holding NaN or infinity; every metric needs finite vectors.", _modelPath);
            }
        }
        return result;
    }

    private float[] Normalised(float[] features)
    {
        float norm = TensorPrimitives.Norm<float>(features);
        if (norm == 0)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"{_modelName} '{_modelPath}' returned a zero embedding; cosine distance needs a non-zero vector.", _modelPath);
        }
        var unit = new float[features.Length];
        TensorPrimitives.Divide(features, norm, unit);
        return unit;
    }

    private (string, string) Key(UnitImage image)
    {
        var hash = SHA256.HashData(MemoryMarshal.AsBytes(image.Values.AsSpan()));
        return (Preprocessing.CacheKey, $"{image.Width}x{image.Height}:{Convert.ToHexString(hash)}");
    }

    /// <summary>One model session's embeddings, per (preprocessing, image content); kept with the session.</summary>
    private sealed class EmbeddingMemo : ConcurrentDictionary<(string Preprocessing, string Image), float[]>
    {
    }

    // How errors name the model: a request can hold an embedding model, a classifier and a CLIP image model at once.
    private static string ModelName(SettingId role) => role switch
    {
        SettingId.InceptionModel => "Inception model",
        SettingId.ClipImageModel => "CLIP image model",
        _ => "Embedding model",
    };

    private static (TensorLayout Layout, int Size, int? FixedBatch) ReadContract(InferenceSession session, string modelPath, string modelName,
        EmbeddingPreprocessing preprocessing, EmbeddingOptions options)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"{modelName} '{modelPath}' has {session.InputMetadata.Count} inputs ({OrtTensors.Describe(session.InputMetadata)}); " +
                "expected one image input.", modelPath);
        }
        var (name, meta) = session.InputMetadata.First();
        var dims = meta.Dimensions;
        string actual = $"'{name}' {meta.ElementDataType}[{string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString()))}]";
        TensorLayout? found = dims.Length != 4 ? null : dims[1] == 3 ? TensorLayout.Nchw : dims[3] == 3 ? TensorLayout.Nhwc : null;
        if (found is null || meta.ElementDataType != TensorElementType.Float)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"{modelName} '{modelPath}' has input {actual}; expected float32 [batch, 3, height, width] (NCHW) or " +
                "[batch, height, width, 3] (NHWC).", modelPath);
        }
        var layout = found.Value;
        if (preprocessing.Layout is TensorLayout requested && requested != layout)
        {
            throw HybridDiffusionException.Argument(SettingId.EmbeddingLayout,
                $"Embedding layout {requested} was given, but embedding model '{modelPath}' has input {actual}, which is {layout}.");
        }
        int height = layout == TensorLayout.Nchw ? dims[2] : dims[1];
        int width = layout == TensorLayout.Nchw ? dims[3] : dims[2];
        if (height > 0 && width > 0 && height != width)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"{modelName} '{modelPath}' has input {actual}: a {width}x{height} image; only square inputs are supported.", modelPath);
        }
        int size = height > 0 ? height : width > 0 ? width : preprocessing.Size;
        if (size != preprocessing.Size && options.SizeOverridden)
        {
            string expected = layout == TensorLayout.Nchw ? $"[batch, 3, {preprocessing.Size}, {preprocessing.Size}]" : $"[batch, {preprocessing.Size}, {preprocessing.Size}, 3]";
            throw HybridDiffusionException.Argument(SettingId.EmbeddingSize,
                $"Embedding size {preprocessing.Size} makes input {expected}, but embedding model '{modelPath}' has input {actual}. " +
                $"Use embedding size {size} or leave it out.");
        }
        return (layout, size, dims[0] > 0 ? dims[0] : null);
    }
}
