namespace HybridDiffusion.Contracts;

/// <summary>
/// An error a user can act on: <see cref="Exception.Message"/> says what was wrong, where, and what to do.
/// <see cref="Target"/> names the offending file or setting; for an invalid argument, <see cref="Setting"/> says which
/// setting, for the face to name in its own spelling. The message is made printable (<see cref="MessageText.Printable"/>):
/// input it quotes cannot drive a terminal.
/// </summary>
public sealed class HybridDiffusionException : Exception
{
    public HybridDiffusionException(HybridErrorKind kind, string message, string? target = null, Exception? inner = null)
        : base(MessageText.Printable(message), inner)
    {
        Kind = kind;
        Target = target;
    }

    public HybridErrorKind Kind { get; }

    public string? Target { get; }

    /// <summary>The setting an invalid argument is blamed on; null for other errors and for files.</summary>
    public SettingId? Setting { get; private init; }

    public static HybridDiffusionException Argument(SettingId setting, string message) =>
        new(HybridErrorKind.InvalidArgument, message, setting.ToString()) { Setting = setting };
}
