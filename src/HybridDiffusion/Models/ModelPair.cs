using HybridDiffusion.Onnx;
using HybridDiffusion.Sampling;
using HybridDiffusion.Sliders;

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
    private readonly IReadOnlyList<SliderSpec> _sliders;
    private readonly bool _strictSliders;
    private readonly Dictionary<ModelRole, SliderSet> _sliderSets = new();
    private DiffusionModel? _base;
    private DiffusionModel? _distilled;

    public ModelPair(ModelFolder baseFolder, ModelFolder distilledFolder, SessionSettings settings, IEngineLog log,
        IReadOnlyList<SliderSpec>? sliders = null, bool strictSliders = false)
    {
        _sliders = sliders ?? Array.Empty<SliderSpec>();
        _strictSliders = strictSliders;
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

    /// <summary>The sliders that change any of <paramref name="roles"/>, for an image's provenance.</summary>
    public string DescribeSliders(IEnumerable<ModelRole> roles) => string.Join(", ", _sliders
        .Where(s => s.Strength != 0 && roles.Any(r => s.Target == SliderTarget.Both || (s.Target == SliderTarget.Base) == (r == ModelRole.Base))));

    /// <summary>The UNet a role runs at a timestep: its own, or merged with the sliders active there.</summary>
    public UNetModel UNetAt(ModelRole role, int timestep)
    {
        var model = this[role];
        if (_sliders.Count == 0)
        {
            return model.UNet;
        }
        if (!_sliderSets.TryGetValue(role, out var set))
        {
            _sliderSets[role] = set = new SliderSet(SliderSet.For(role, _sliders), model.UNet, _settings, _strictSliders, _log);
        }
        return set.At(timestep);
    }

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
        foreach (var set in _sliderSets.Values)
        {
            set.Dispose();
        }
        _distilled?.Dispose();
        _base?.Dispose();
    }
}
