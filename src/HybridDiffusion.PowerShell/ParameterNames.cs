namespace HybridDiffusion.PowerShell;

/// <summary>
/// Names the parameter behind an engine error in PowerShell's spelling: the engine says which setting was wrong
/// (<see cref="HybridDiffusionException.Setting"/>), and a cmdlet shows it as its own parameter (-BaseSteps).
/// </summary>
internal static class ParameterNames
{
    /// <summary>How PowerShell spells a setting's parameter (without the dash); null for the settings no cmdlet takes.</summary>
    public static string? Spelling(SettingId setting) => setting switch
    {
        SettingId.SliderStrength => "Strength",
        SettingId.SliderStart => "StartAtTimestep",
        SettingId.JUnit => "JUnitPath",
        SettingId.Reference => "ReferencePath",
        // The CLI's own options (slider text, bench, the embedding batch), and what neither face exposes.
        SettingId.Slider or SettingId.Images or SettingId.EmbeddingBatchSize
            or SettingId.ConfidenceLevel or SettingId.RecordedNoise or SettingId.DemoCache => null,
        _ => setting.ToString(),
    };
}
