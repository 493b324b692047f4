using HybridDiffusion.Contracts.Imaging;

namespace HybridDiffusion.Contracts.Adherence;

/// <summary>
/// Scores images against their prompts. It lives in the contracts so that the demo pair's judge (which knows its scenes)
/// and the analysis layer's CLIP judge serve one workflow without either depending on the other.
/// </summary>
public interface IAdherenceJudge : IDisposable
{
    AdherenceMeasure Measure { get; }

    /// <summary>One judgement per image, in order; <paramref name="prompts"/>[i] is the prompt of <paramref name="images"/>[i].</summary>
    IReadOnlyList<AdherenceJudgement> Judge(IReadOnlyList<RgbImage> images, IReadOnlyList<string> prompts, CancellationToken cancellation);
}
