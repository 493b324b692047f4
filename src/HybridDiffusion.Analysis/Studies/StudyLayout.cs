using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// Where a study's results live in its folder: `study.json` (the study and its hash), and per (prompt, setting) group
/// a folder `units/pPPPPPP-sSSS-NAME` holding each seed's image (SEED.png) and record (SEED.json).
/// </summary>
internal static class StudyLayout
{
    public const string ManifestName = "study.json";

    public const string UnitsFolder = "units";

    public static string Manifest(string folder) => Path.Combine(folder, ManifestName);

    /// <summary>The group folder's name, relative to the results folder.</summary>
    public static string GroupFolder(StudyDefinition study, int promptIndex, int settingIndex) =>
        Path.Combine(UnitsFolder, string.Create(CultureInfo.InvariantCulture,
            $"p{promptIndex:D6}-s{settingIndex:D3}-{OutputNaming.Slug(study.Settings[settingIndex].Name)}"));

    public static string RecordName(long seed) => seed.ToString(CultureInfo.InvariantCulture) + ".json";

    public static string ImageName(long seed) => seed.ToString(CultureInfo.InvariantCulture) + ".png";
}
