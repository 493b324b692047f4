using HybridDiffusion.Contracts.Adherence;
using HybridDiffusion.Analysis.Diversity;

namespace HybridDiffusion.Analysis.Adherence;

/// <summary>
/// CLIP score (Hessel et al. 2021, without their weight w = 2.5, as torchmetrics reports it): 100·max(cos(E_image, E_text), 0),
/// with the image embedded by the CLIP image model (through the embedding options and presets the diversity metric uses)
/// and the prompt by the matching text model.
/// </summary>
internal sealed class ClipScoreJudge : IAdherenceJudge
{
    private readonly ImageEmbedder _images;
    private readonly ClipTextEmbedder _texts;
    private readonly string _imageModel;
    private readonly string _textModel;

    private ClipScoreJudge(ImageEmbedder images, ClipTextEmbedder texts, string imageModel, string textModel)
    {
        _images = images;
        _texts = texts;
        _imageModel = imageModel;
        _textModel = textModel;
    }

    public AdherenceMeasure Measure => AdherenceMeasure.ClipScore;

    public static ClipScoreJudge Open(HybridEngine engine, EmbeddingOptions image, string textModel, IEngineLog log)
    {
        var texts = ClipTextEmbedder.Open(engine, textModel, image.Provider, log);
        try
        {
            return new ClipScoreJudge(ImageEmbedder.Open(engine, image, log, SettingId.ClipImageModel), texts, Path.GetFullPath(image.ModelPath), Path.GetFullPath(textModel));
        }
        catch
        {
            texts.Dispose();
            throw;
        }
    }

    public IReadOnlyList<AdherenceJudgement> Judge(IReadOnlyList<RgbImage> images, IReadOnlyList<string> prompts, CancellationToken cancellation)
    {
        var prompt = prompts.Distinct(StringComparer.Ordinal).ToDictionary(p => p, _texts.Embed, StringComparer.Ordinal);
        var embeddings = _images.Embed(images.Select(UnitImage.From).ToList(), null, cancellation);
        var result = new AdherenceJudgement[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var text = prompt[prompts[i]];
            if (text.Length != embeddings[i].Length)
            {
                throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                    $"CLIP image model '{_imageModel}' gives {embeddings[i].Length}-dimensional embeddings but text model '{_textModel}' gives {text.Length}-dimensional ones; " +
                    "use the image and text models of one CLIP model.", _textModel);
            }
            result[i] = new AdherenceJudgement(100 * Math.Max(TensorPrimitives.Dot<float>(embeddings[i], text), 0));
        }
        return result;
    }

    public void Dispose()
    {
        _images.Dispose();
        _texts.Dispose();
    }
}
