namespace HybridDiffusion.Core.Formats;

/// <summary>
/// The largest input of each kind the tool reads (README: Reliability). Each leaves room over the largest real file of
/// its kind (SDXL's 2.6 B-parameter UNet, CLIP's 49,408-token vocabulary and ~50,000 merges, Kohya LoRAs of a few
/// hundred MB) and keeps a hostile one from costing more than about a gigabyte of memory.
/// </summary>
public static class InputLimits
{
    /// <summary>An .onnx graph file: protobuf's own limit (larger models keep their weights in external data).</summary>
    public const long OnnxModelBytes = 2L << 30;

    /// <summary>One external-data file of an .onnx model (SDXL's UNet: 5 to 10 GB); ONNX Runtime maps it, it is not read whole.</summary>
    public const long ExternalDataBytes = 64L << 30;

    /// <summary>A JSON config: model_index.json, scheduler_config.json, config.json, tokenizer_config.json, case.json, a cache manifest (real ones: a few KB).</summary>
    public const long JsonConfigBytes = 4L << 20;

    /// <summary>A tokenizer's vocab.json (CLIP's: about 1 MB for 49,408 tokens).</summary>
    public const long VocabularyBytes = 16L << 20;

    /// <summary>A tokenizer's merges.txt (CLIP's: about 0.5 MB for ~50,000 merges).</summary>
    public const long MergesBytes = 16L << 20;

    /// <summary>One line of merges.txt: two symbols (CLIP's longest: under 40 characters).</summary>
    public const int MergesLineChars = 1024;

    /// <summary>Entries in vocab.json, and lines in merges.txt (CLIP: 49,408 and 48,894).</summary>
    public const int VocabularyEntries = 1_000_000;

    /// <summary>A LoRA or slider .safetensors file (Kohya LoRAs: up to a few hundred MB); it is read whole.</summary>
    public const long LoraBytes = 1L << 30;

    /// <summary>A .npy array: --latents, or one array of a reference case (an SDXL 1024x1024 image: 12 MB).</summary>
    public const long NpyBytes = 256L << 20;

    /// <summary>The JSON nesting a reader follows (real configs: 3 or 4 levels).</summary>
    public const int JsonDepth = 64;
}
