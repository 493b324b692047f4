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

    public DiffusionModel Distilled => _distilled ??= DiffusionModel.Load(_distilledFolder, _settings, Base, _log);

    public DiffusionModel this[ModelRole role] => role == ModelRole.Base ? Base : Distilled;

    public void Dispose()
    {
        _distilled?.Dispose();
        _base?.Dispose();
    }
}
