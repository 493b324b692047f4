using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Sliders;

/// <summary>
/// The paper's transfer measurement: for each strength, the mean RMS pixel distance between each seed's image with
/// the slider and without it, in Base mode and in Distilled mode, side by side.
/// </summary>
public static class SliderTransfer
{
    /// <param name="engine">The engine that generates the images with and without the slider.</param>
    public static IReadOnlyList<SliderTransferRow> Measure(HybridEngine engine, SliderTransferRequest request, IGenerationObserver? observer = null,
        CancellationToken cancellation = default)
    {
        request.Validate();
        var generation = request.MeasuredGeneration;
        var slider = new SliderSpec(request.SliderPath, 1f);
        var modes = generation.Modes;
        List<UnitImage> Images(float strength) => engine.Generate(generation with
        {
            Sliders = generation.Sliders.Append(slider with { Strength = strength }).ToArray(),
        }, observer, cancellation).Select(i => UnitImage.From(i.Image)).ToList();

        // Generated prompt by prompt, mode by mode, seed by seed: halves are base then distilled within each prompt.
        var reference = Images(0);
        int perMode = generation.ImageSeeds.Count;
        return request.Strengths.Select(strength =>
        {
            var moved = Images(strength);
            var distances = reference.Zip(moved, PixelDistance.Rms).ToArray();
            double Mean(GenerationMode mode) => Enumerable.Range(0, distances.Length)
                .Where(i => modes[i / perMode % modes.Count] == mode).Average(i => distances[i]);
            double baseMove = Mean(GenerationMode.Base), distilledMove = Mean(GenerationMode.Distilled);
            return new SliderTransferRow(strength, baseMove, distilledMove, baseMove > 0 ? distilledMove / baseMove : null);
        }).ToList();
    }
}
