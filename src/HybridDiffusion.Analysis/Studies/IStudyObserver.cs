namespace HybridDiffusion.Analysis.Studies;

/// <summary>What a face hears while a study runs or merges. Called on the calling thread.</summary>
public interface IStudyObserver : IEngineLog
{
    void OnProgress(StudyProgress progress);
}
