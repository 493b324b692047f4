using System.Text.RegularExpressions;
using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// How a cached session's slider variant reads for people: "warmth.safetensors@2; age.safetensors@1.5", without the
/// folders and the identity stamps (size, write time) the cache key keeps. Used by Clear-HybridSession's prompt and
/// by the Sliders column of the session table (Types.ps1xml).
/// </summary>
public static class SessionDescription
{
    // One slider of a variant: "/folder/file.safetensors|size|ticks@strength".
    private static readonly Regex s_stampedFile = new(@"^.*?([^\\/|]+)\|\d+\|\d+@", RegexOptions.CultureInvariant);

    public static string? Sliders(SessionInfo session) => session.Variant is null ? null : string.Join("; ",
        session.Variant[(session.Variant.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split("; ").Select(s => s_stampedFile.Replace(s, "$1@")));
}
