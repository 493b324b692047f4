using HybridDiffusion.Contracts.Adherence;

namespace HybridDiffusion.Analysis.Adherence;

/// <summary>Opens the judge an adherence request names: the one place the verb and a study's merge choose it.</summary>
internal static class AdherenceJudges
{
    /// <param name="demoJudge">Opens the demo pair's judge (the demo layer's, which the analysis layer does not know).</param>
    public static IAdherenceJudge Open(HybridEngine engine, AdherenceRequest request, Func<IEngineLog, IAdherenceJudge> demoJudge, IEngineLog log) =>
        request.Demo ? demoJudge(log) : ClipScoreJudge.Open(engine, request.ClipImage!, request.ClipTextModel!, log);
}
