using HybridDiffusion.Onnx;
using HybridDiffusion.Sampling;

namespace HybridDiffusion.Models;

/// <summary>
/// The base and distilled models of a request, loaded on first use: a Base-only request never loads the distilled UNet.
/// The distilled model borrows whatever its folder lacks from the base.
/// </summary>
public sealed class ModelPair : IDisposable
{
    private readonly ModelFolder _baseFolder;
    private readonly ModelFolder _distilledFolder;
    private readonly SessionSettings _settings;
    private readonly IEngineLog _log;
    private DiffusionModel? _base;
    private DiffusionModel? _distilled;

    public ModelPair(ModelFolder baseFolder, ModelFolder distilledFolder, SessionSettings settings, IEngineLog log)
    {
        _baseFolder = baseFolder;
        _distilledFolder = distilledFolder;
        _settings = settings;
        _log = log;
    }

    public string BaseName => _baseFolder.Name;

    public string DistilledName => _distilledFolder.Name;

    public DiffusionModel Base => _base ??= DiffusionModel.Load(_baseFolder, _settings, null, _log);

    public DiffusionModel Distilled => _distilled ??= CheckCompatible(DiffusionModel.Load(_distilledFolder, _settings, Base, _log));

    public DiffusionModel this[ModelRole role] => role == ModelRole.Base ? Base : Distilled;

    // A plan hands one latent from model to model and feeds both the same text: their contracts must agree.
    private DiffusionModel CheckCompatible(DiffusionModel distilled)
    {
        var (a, b) = (Base.UNet, distilled.UNet);
        string? problem = a.LatentChannels != b.LatentChannels ? $"latent channels {a.LatentChannels} and {b.LatentChannels}"
            : a.TextDim > 0 && b.TextDim > 0 && a.TextDim != b.TextDim ? $"text-embedding sizes {a.TextDim} and {b.TextDim}"
            : a.PooledDim != b.PooledDim ? $"pooled text sizes (text_embeds) {a.PooledDim} and {b.PooledDim}"
            : null;
        if (problem is not null && !ReferenceEquals(a, b))
        {
            distilled.Dispose();
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Base UNet '{a.ModelPath}' and distilled UNet '{b.ModelPath}' do not belong together: {problem}. " +
                "Pair a distilled model with the base model it was distilled from (e.g. SDXL with SDXL-Turbo or DMD2).", b.ModelPath);
        }
        return distilled;
    }

    public void Dispose()
    {
        _distilled?.Dispose();
        _base?.Dispose();
    }
}
