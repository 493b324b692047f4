namespace HybridDiffusion.Analysis.Studies;

/// <summary>The study's own refusals, worded once for both faces.</summary>
internal static class StudyErrors
{
    /// <summary>A key of the study with a wrong value, named by its JSON path in the file (or hashtable).</summary>
    public static HybridDiffusionException Invalid(string source, string path, string message) =>
        HybridDiffusionException.Argument(SettingId.Study, $"{source}: {path} {message}.");

    /// <summary>A results folder that holds records of a different study.</summary>
    public static HybridDiffusionException OtherStudy(string folder, string foundHash, string studyHash) =>
        HybridDiffusionException.Argument(SettingId.OutputDirectory,
            $"'{folder}' holds the results of another study (hash {foundHash[..12]}; this study's is {studyHash[..12]}): its models, settings, " +
            "prompts, seeds, batch size, threads, provider or metrics differ. Run the changed study into a new folder, or delete this one.");
}
