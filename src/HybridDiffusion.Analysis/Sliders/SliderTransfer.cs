using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Sliders;

/// <summary>
/// The paper's transfer measurement: for each strength, the mean RMS pixel distance between each seed's image with
/// the slider and without it, in Base mode and in Distilled mode, side by side.
/// </summary>
public static class SliderTransfer
{
    /// <summary>
    /// Seeds measured when the caller names none: a slider's movement is a mean over images, and one image's distance
    /// (or a ratio of two near-zero ones) says little.
    /// </summary>
    public const int DefaultSeedCount = 8;

    /// <summary>Strengths compared with strength 0 when the caller names none: one clear step each way.</summary>
    public static IReadOnlyList<float> DefaultStrengths { get; } = new[] { -2f, 2f };

    /// <param name="engine">The engine that generates the images with and without the slider.</param>
    public static IReadOnlyList<SliderTransferRow> Measure(HybridEngine engine, GenerationRequest template, SliderSpec slider,
        IReadOnlyList<float> strengths, IGenerationObserver? observer = null, CancellationToken cancellation = default)
    {
        if (strengths.Count == 0 || strengths.Any(s => !float.IsFinite(s)))
        {
            throw HybridDiffusionException.Argument("Strength", $"Give one or more finite strengths; got [{string.Join(", ", strengths)}].");
        }
        var modes = new[] { GenerationMode.Base, GenerationMode.Distilled };
        List<UnitImage> Images(float strength) => engine.Generate(template with
        {
            Modes = modes,
            OutputDirectory = null,
            Sliders = template.Sliders.Concat(new[] { slider with { Strength = strength, Target = SliderTarget.Both } }).ToArray(),
        }, observer, cancellation).Select(i => UnitImage.From(i.Image)).ToList();

        // Generated prompt by prompt, mode by mode, seed by seed: halves are base then distilled within each prompt.
        var reference = Images(0);
        return strengths.Select(strength =>
        {
            var moved = Images(strength);
            var distances = reference.Zip(moved, PixelDistance.Rms).ToArray();
            int perMode = template.Seeds.Count;
            double Mean(GenerationMode mode) => Enumerable.Range(0, distances.Length)
                .Where(i => modes[i / perMode % modes.Length] == mode).Average(i => distances[i]);
            double baseMove = Mean(GenerationMode.Base), distilledMove = Mean(GenerationMode.Distilled);
            return new SliderTransferRow(strength, baseMove, distilledMove, baseMove > 0 ? distilledMove / baseMove : null);
        }).ToList();
    }
}
