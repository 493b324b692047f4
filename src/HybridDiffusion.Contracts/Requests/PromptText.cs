namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// What a prompt may hold: at most <see cref="MaxChars"/> characters (CLIP reads 77 tokens; each character costs
/// tens of bytes on the way there) and no NUL, which a PNG text chunk cannot store.
/// </summary>
public static class PromptText
{
    /// <summary>The longest prompt (64 Ki characters), and the longest line read from standard input.</summary>
    public const int MaxChars = 64 * 1024;

    /// <summary>Fails naming <paramref name="setting"/> when <paramref name="prompt"/> breaks a rule; <paramref name="which"/> says which prompt.</summary>
    public static void Check(string prompt, SettingId setting, string which)
    {
        if (prompt.Length > MaxChars)
        {
            throw HybridDiffusionException.Argument(setting, FormattableString.Invariant(
                $"{which} is {prompt.Length:N0} characters long; at most {MaxChars:N0} are accepted (the text encoder reads only its first 77 tokens)."));
        }
        if (prompt.Contains('\0'))
        {
            throw HybridDiffusionException.Argument(setting,
                $"{which} contains a NUL character (\\0), which a PNG text chunk cannot store; remove it.");
        }
    }
}
