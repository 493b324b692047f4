using HybridDiffusion.Contracts.Sliders;

namespace HybridDiffusion.Core.Models;

/// <summary>
/// The base and distilled models of a request, their sessions taken from one session cache on first use: a Base-only
/// request never loads the distilled UNet. The distilled model borrows whatever its folder lacks from the base.
/// </summary>
internal sealed class ModelPair(SessionCache sessions, ModelFolder baseFolder, ModelFolder distilledFolder, SessionSettings settings, IEngineLog log,
    IReadOnlyList<SliderSpec>? sliders = null, bool strictSliders = false) : IDisposable
{
    private readonly IReadOnlyList<SliderSpec> _sliders = sliders ?? Array.Empty<SliderSpec>();
    private readonly Dictionary<ModelRole, SliderSet> _sliderSets = new();
    private readonly Dictionary<ModelRole, IDiffusionScheduler> _schedulers = new();
    private DiffusionModel? _base;
    private DiffusionModel? _distilled;
    private UNetShape? _baseShape;
    private UNetShape? _distilledShape;

    public string BaseName => baseFolder.Name;

    public string DistilledName => distilledFolder.Name;

    public DiffusionModel Base => _base ??= DiffusionModel.Load(baseFolder, sessions, settings, null, log);

    public DiffusionModel Distilled => _distilled ??= DiffusionModel.Load(distilledFolder, sessions, settings, Base, log);

    public DiffusionModel this[ModelRole role] => role == ModelRole.Base ? Base : Distilled;

    /// <summary>
    /// A role's scheduler, from its folder's scheduler/scheduler_config.json (a distilled folder without one shares the
    /// base's). Read from the files alone: planning a request loads no session.
    /// </summary>
    public IDiffusionScheduler SchedulerOf(ModelRole role)
    {
        if (!_schedulers.TryGetValue(role, out var scheduler))
        {
            var folder = role == ModelRole.Base ? baseFolder : distilledFolder;
            scheduler = folder.SchedulerConfigPath is string path ? SchedulerFactory.Create(SchedulerConfig.Load(path), log)
                : role == ModelRole.Distilled ? SchedulerOf(ModelRole.Base)
                : throw DiffusionModel.Missing(folder, "scheduler/scheduler_config.json");
            _schedulers[role] = scheduler;
        }
        return scheduler;
    }

    /// <summary>A role's UNet as stored, checked against the other role's once both have been seen.</summary>
    public UNetModel UNetOf(ModelRole role)
    {
        var unet = this[role].UNet;
        ref var own = ref role == ModelRole.Base ? ref _baseShape : ref _distilledShape;
        if (own is null)
        {
            var shape = own = UNetShape.Of(unet);
            if ((role == ModelRole.Base ? _distilledShape : _baseShape) is UNetShape other)
            {
                CheckCompatible(role == ModelRole.Base ? shape : other, role == ModelRole.Base ? other : shape);
            }
        }
        return unet;
    }

    /// <summary>
    /// Releases a role's UNet (and its slider variants) so that its memory is returned before the other role's UNet
    /// loads; its next use loads it again. Nothing is released when both roles run the same UNet file.
    /// </summary>
    public void Release(ModelRole role)
    {
        var model = role == ModelRole.Base ? _base : _distilled;
        if (model is null || baseFolder.UnetPath == distilledFolder.UnetPath)
        {
            return;
        }
        if (_sliderSets.Remove(role, out var set))
        {
            set.Dispose();
        }
        model.ReleaseUNet();
    }

    /// <summary>The sliders that change any of <paramref name="roles"/>, for an image's provenance.</summary>
    public string DescribeSliders(IEnumerable<ModelRole> roles) => string.Join(", ", _sliders.Where(s => roles.Any(r => SliderSet.Changes(s, r))));

    /// <summary>The UNet a role runs at a timestep: its own, or merged with the sliders active there.</summary>
    public UNetModel UNetAt(ModelRole role, int timestep)
    {
        var unet = UNetOf(role);
        if (_sliders.Count == 0)
        {
            return unet;
        }
        if (!_sliderSets.TryGetValue(role, out var set))
        {
            _sliderSets[role] = set = new SliderSet(SliderSet.For(role, _sliders), unet, sessions, settings, strictSliders, log);
        }
        return set.At(timestep);
    }

    // A plan hands one latent from model to model and feeds both the same text: their contracts must agree. Checked
    // from shapes kept at load, because in sequential mode the first UNet is released before the second loads.
    private static void CheckCompatible(UNetShape a, UNetShape b)
    {
        string? problem = a.LatentChannels != b.LatentChannels ? $"latent channels {a.LatentChannels} and {b.LatentChannels}"
            : a.TextDim > 0 && b.TextDim > 0 && a.TextDim != b.TextDim ? $"text-embedding sizes {a.TextDim} and {b.TextDim}"
            : a.PooledDim != b.PooledDim ? $"pooled text sizes (text_embeds) {a.PooledDim} and {b.PooledDim}"
            : null;
        if (problem is not null && a.ModelPath != b.ModelPath)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Base UNet '{a.ModelPath}' and distilled UNet '{b.ModelPath}' do not belong together: {problem}. " +
                "Pair a distilled model with the base model it was distilled from (e.g. SDXL with SDXL-Turbo or DMD2).", b.ModelPath);
        }
    }

    private sealed record UNetShape(string ModelPath, int LatentChannels, int TextDim, int PooledDim)
    {
        public static UNetShape Of(UNetModel unet) => new(unet.ModelPath, unet.LatentChannels, unet.TextDim, unet.PooledDim);
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
