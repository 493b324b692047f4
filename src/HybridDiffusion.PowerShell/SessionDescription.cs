using System.Text.RegularExpressions;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// How a cached session's slider variant reads for people: "warmth.safetensors@2; age.safetensors@1.5", without the
/// folders and the identity stamps (size, write time) the cache key keeps. Used by Clear-HybridSession's prompt and
/// by the Sliders column of the session table (Types.ps1xml); and which model a session holds, in the few characters
/// an 80-column table has for it.
/// </summary>
public static class SessionDescription
{
    // One slider of a variant: "/folder/file.safetensors|size|ticks@strength".
    private static readonly Regex s_stampedFile = new(@"^.*?([^\\/|]+)\|\d+\|\d+@", RegexOptions.CultureInvariant);

    /// <summary>The model file with its component and model folders ("distilled/unet/model.onnx"): what tells the sessions apart.</summary>
    public static string Model(SessionInfo session)
    {
        var parts = session.ModelPath.Split('/', '\\');
        return string.Join('/', parts[Math.Max(0, parts.Length - 3)..]);
    }

    public static string? Sliders(SessionInfo session) => session.Variant is null ? null : string.Join("; ",
        session.Variant[(session.Variant.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split("; ").Select(s => s_stampedFile.Replace(s, "$1@")));
}
