using System.Reflection;

namespace HybridDiffusion.Tests.Support;

/// <summary>
/// The workplace's shared test data, read in place and never committed: ../shared beside the repository (CI has it),
/// or the folders the environment variables HYBRIDDIFFUSION_REFERENCE and HYBRIDDIFFUSION_CLIP_VOCABULARY name.
/// </summary>
internal static class SharedData
{
    /// <summary>diffusers' tiny SD/SDXL exports and their recorded cases; null where absent.</summary>
    public static string? DiffusersReference { get; } = Find("HYBRIDDIFFUSION_REFERENCE", "diffusers-reference");

    /// <summary>OpenAI CLIP's real BPE merges; null where absent.</summary>
    public static string? ClipVocabulary { get; } = Find("HYBRIDDIFFUSION_CLIP_VOCABULARY", "clip-vocabulary");

    /// <summary>Why the diffusers parity tests cannot run here; null where the folder is present.</summary>
    public static string? MissingReference { get; } = DiffusersReference is null
        ? "../shared/diffusers-reference is absent (set HYBRIDDIFFUSION_REFERENCE to its folder): the diffusers parity tests did not run."
        : null;

    /// <summary>Why the real-vocabulary tokenizer tests cannot run here; null where the folder is present.</summary>
    public static string? MissingClipVocabulary { get; } = ClipVocabulary is null
        ? "../shared/clip-vocabulary is absent (set HYBRIDDIFFUSION_CLIP_VOCABULARY to its folder): the real-vocabulary tokenizer tests did not run."
        : null;

    public static string RequireDiffusersReference() =>
        DiffusersReference ?? throw new InvalidOperationException(MissingReference);

    private static string? Find(string variable, string folder)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }
        var root = typeof(SharedData).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        var candidate = Path.GetFullPath(Path.Combine(root, "..", "shared", folder));
        return Directory.Exists(candidate) ? candidate : null;
    }
}

/// <summary>
/// A test that replays ../shared/diffusers-reference. Where that folder is absent the test is reported as skipped with
/// the reason, so a run without the data says so instead of passing silently.
/// </summary>
public sealed class ReferenceFactAttribute : FactAttribute
{
    public ReferenceFactAttribute() => Skip = SharedData.MissingReference;
}

/// <summary>A theory over ../shared/diffusers-reference; skipped with the reason where the folder is absent.</summary>
public sealed class ReferenceTheoryAttribute : TheoryAttribute
{
    public ReferenceTheoryAttribute() => Skip = SharedData.MissingReference;
}

/// <summary>A test on OpenAI CLIP's real vocabulary (../shared/clip-vocabulary); skipped with the reason where it is absent.</summary>
public sealed class ClipVocabularyFactAttribute : FactAttribute
{
    public ClipVocabularyFactAttribute() => Skip = SharedData.MissingClipVocabulary;
}
