using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Core.Models;

/// <summary>
/// The sliders that apply to one model and the merged UNets they need: at each timestep the active sliders are those
/// without a start or with t ≤ their start, and each distinct active set is one cached session variant.
/// </summary>
internal sealed class SliderSet : IDisposable
{
    private readonly IReadOnlyList<(SliderSpec Spec, LoraFile File)> _sliders;
    private readonly UNetModel _plain;
    private readonly SessionCache _sessions;
    private readonly SessionSettings _settings;
    private readonly bool _strict;
    private readonly IEngineLog _log;
    private readonly Dictionary<string, UNetModel> _merged = new(StringComparer.Ordinal);

    public SliderSet(IReadOnlyList<(SliderSpec Spec, LoraFile File)> sliders, UNetModel plain, SessionCache sessions, SessionSettings settings,
        bool strict, IEngineLog log)
    {
        _sliders = sliders;
        _plain = plain;
        _sessions = sessions;
        _settings = settings;
        _strict = strict;
        _log = log;
    }

    /// <summary>The UNet to run at <paramref name="timestep"/>: merged with the sliders active there, or the plain one.</summary>
    public UNetModel At(int timestep)
    {
        var active = _sliders.Where(s => s.Spec.StartAtTimestep is not int start || timestep <= start).ToList();
        if (active.Count == 0)
        {
            return _plain;
        }
        // The files' identity (path, size, time) and strengths name the variant, so an edited file is merged again.
        // Strictness is part of the name too: a strict request must check the keys even if a lenient one merged them.
        var variant = (_strict ? "strict sliders: " : "sliders: ") + string.Join("; ", active.Select(s =>
        {
            var info = new FileInfo(s.File.Path);
            return FormattableString.Invariant($"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}@{s.Spec.Strength:R}");
        }));
        if (!_merged.TryGetValue(variant, out var unet))
        {
            var path = _plain.ModelPath;
            var lease = _sessions.Acquire(path, _settings, _log, variant, () =>
                LoraMerger.Merge(path, active.Select(s => (s.File, s.Spec.Strength)).ToList(), _strict, _log, variant).Overrides);
            unet = new UNetModel(lease, path);
            _merged[variant] = unet;
        }
        return unet;
    }

    public void Dispose()
    {
        foreach (var unet in _merged.Values)
        {
            unet.Dispose();
        }
    }

    /// <summary>The sliders that change <paramref name="role"/>'s UNet; strength 0 changes nothing and is dropped.</summary>
    public static IReadOnlyList<(SliderSpec, LoraFile)> For(ModelRole role, IReadOnlyList<SliderSpec> sliders) => sliders
        .Where(s => s.Strength != 0 && (s.Target == SliderTarget.Both || (s.Target == SliderTarget.Base) == (role == ModelRole.Base)))
        .Select(s => (s, LoraFile.Load(s.Path)))
        .ToList();
}
