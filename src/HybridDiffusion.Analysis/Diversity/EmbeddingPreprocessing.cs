namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Turns an image into an embedding model's input: resize (optionally keeping the aspect ratio and centre-cropping
/// a fraction of the shorter side), then (value − mean) / std per channel, in the model's layout.
/// </summary>
internal sealed record EmbeddingPreprocessing
{
    private static readonly float[] s_clipMean = { 0.48145466f, 0.4578275f, 0.40821073f };
    private static readonly float[] s_clipStd = { 0.26862954f, 0.26130258f, 0.27577711f };
    private static readonly float[] s_imageNetMean = { 0.485f, 0.456f, 0.406f };
    private static readonly float[] s_imageNetStd = { 0.229f, 0.224f, 0.225f };

    /// <summary>Side of the square model input.</summary>
    public int Size { get; init; } = 224;

    public ResizeFilter Filter { get; init; } = ResizeFilter.Bicubic;

    /// <summary>Fraction of the resized shorter side kept by a centre crop; null stretches the whole image to Size×Size.</summary>
    public double? CropFraction { get; init; }

    public IReadOnlyList<float> Mean { get; init; } = new float[] { 0, 0, 0 };

    public IReadOnlyList<float> Std { get; init; } = new float[] { 1, 1, 1 };

    /// <summary>Null: read it from the model's input shape.</summary>
    public TensorLayout? Layout { get; init; }

    /// <summary>Identifies the preprocessing by value (the lists compare by reference in record equality).</summary>
    internal string CacheKey => $"{Size}|{Filter}|{CropFraction}|{string.Join(",", Mean)}|{string.Join(",", Std)}|{Layout}";

    public static EmbeddingPreprocessing For(EmbeddingPreset preset) => preset switch
    {
        EmbeddingPreset.DreamSim => new EmbeddingPreprocessing(),
        EmbeddingPreset.Clip => new EmbeddingPreprocessing { CropFraction = 1.0, Mean = s_clipMean, Std = s_clipStd },
        EmbeddingPreset.Dino => new EmbeddingPreprocessing { CropFraction = 224.0 / 256.0, Mean = s_imageNetMean, Std = s_imageNetStd },
        _ => throw HybridDiffusionException.Argument(SettingId.EmbeddingPreset, $"Unknown embedding preset {preset}; use DreamSim, Clip or Dino."),
    };

    /// <summary>The options' preset with their overrides applied, checked (the options' own checks included).</summary>
    public static EmbeddingPreprocessing For(EmbeddingOptions options)
    {
        options.Validate();
        var preset = For(options.Preset);
        var result = preset with
        {
            Size = options.Size ?? preset.Size,
            Filter = options.Filter ?? preset.Filter,
            CropFraction = options.CropFraction switch { null => preset.CropFraction, 0 => null, double f => f },
            Mean = options.Mean ?? preset.Mean,
            Std = options.Std ?? preset.Std,
            Layout = options.Layout ?? preset.Layout,
        };
        result.Validate();
        return result;
    }

    public void Validate()
    {
        if (Size < 8 || Size > 4096)
        {
            throw HybridDiffusionException.Argument(SettingId.EmbeddingSize, $"The embedding input size must be between 8 and 4096 pixels; got {Size}.");
        }
        if (CropFraction is double f && !(f > 0 && f <= 1))
        {
            throw HybridDiffusionException.Argument(SettingId.EmbeddingCrop, $"The crop fraction is the share of the shorter side kept, above 0 and at most 1 (or 0: no crop, the image stretched to a square); got {f}.");
        }
        if (Mean.Count != 3 || Std.Count != 3)
        {
            throw HybridDiffusionException.Argument(Mean.Count != 3 ? SettingId.EmbeddingMean : SettingId.EmbeddingStd,
                $"Mean and standard deviation need three values (R, G, B); got {Mean.Count} and {Std.Count}.");
        }
        if (Mean.Concat(Std).Any(v => !float.IsFinite(v)) || Std.Any(v => v <= 0))
        {
            throw HybridDiffusionException.Argument(SettingId.EmbeddingStd,
                $"Mean must be finite and every standard deviation > 0; got mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}].");
        }
    }

    /// <summary>Writes one image's normalised tensor into <paramref name="target"/> (3·Size·Size values).</summary>
    public void Write(UnitImage image, TensorLayout layout, Span<float> target)
    {
        var resized = CropFraction is double fraction
            ? ImageResampler.CenterCrop(ImageResampler.ResizeShortSide(image, (int)Math.Round(Size / fraction), Filter), Size, Size)
            : ImageResampler.Resize(image, Size, Size, Filter);
        int plane = Size * Size;
        var values = resized.Values;
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                float v = (values[i * 3 + c] - Mean[c]) / Std[c];
                target[layout == TensorLayout.Nchw ? c * plane + i : i * 3 + c] = v;
            }
        }
    }
}
