using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Core.Models;

/// <summary>
/// The sliders that apply to one model and the merged UNets they need: at each timestep the active sliders are those
/// without a start or with t ≤ their start, and each distinct active set is one cached session variant.
/// </summary>
internal sealed class SliderSet(IReadOnlyList<(SliderSpec Spec, LoraFile File)> sliders, UNetModel plain, SessionCache sessions,
    SessionSettings settings, bool strict, IEngineLog log) : IDisposable
{
    private readonly Dictionary<string, UNetModel> _merged = new(StringComparer.Ordinal);

    /// <summary>The UNet to run at <paramref name="timestep"/>: merged with the sliders active there, or the plain one.</summary>
    public UNetModel At(int timestep)
    {
        var active = sliders.Where(s => s.Spec.StartAtTimestep is not int start || timestep <= start).ToList();
        if (active.Count == 0)
        {
            return plain;
        }
        // The files' identity (path, size, time) and strengths name the variant, so an edited file is merged again.
        // Strictness is part of the name too: a strict request must check the keys even if a lenient one merged them.
        var variant = (strict ? "strict sliders: " : "sliders: ") + string.Join("; ", active.Select(s =>
        {
            var info = new FileInfo(s.File.Path);
            return FormattableString.Invariant($"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}@{s.Spec.Strength:R}");
        }));
        if (!_merged.TryGetValue(variant, out var unet))
        {
            var path = plain.ModelPath;
            var lease = sessions.Acquire(path, settings, log, variant, () =>
                LoraMerger.Merge(path, active.Select(s => (s.File, s.Spec.Strength)).ToList(), strict, log, variant).Overrides);
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

    /// <summary>Whether a slider changes <paramref name="role"/>'s UNet: it targets that role (or both) at a strength other than 0.</summary>
    public static bool Changes(SliderSpec slider, ModelRole role) =>
        slider.Strength != 0 && (slider.Target == SliderTarget.Both || (slider.Target == SliderTarget.Base) == (role == ModelRole.Base));

    /// <summary>The sliders that change <paramref name="role"/>'s UNet; strength 0 changes nothing and is dropped.</summary>
    public static IReadOnlyList<(SliderSpec, LoraFile)> For(ModelRole role, IReadOnlyList<SliderSpec> sliders) => sliders
        .Where(s => Changes(s, role))
        .Select(s => (s, LoraFile.Load(s.Path)))
        .ToList();
}
