using System.Globalization;
using System.Text;

namespace HybridDiffusion.Contracts;

/// <summary>
/// Input quoted in messages: control characters (ESC, OSC, BEL, newlines, C1 codes) are escaped so that a crafted key
/// or prompt cannot move the cursor, retitle the terminal or forge a line of its own, and long input is cut.
/// </summary>
public static class MessageText
{
    /// <summary>How many characters of one quoted value a message repeats.</summary>
    public const int MaxQuotedLength = 200;

    /// <summary><paramref name="text"/> with every control character written as an escape (\n, \u001b, ...).</summary>
    public static string Printable(string text)
    {
        if (!text.Any(IsEscaped))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!IsEscaped(c))
            {
                builder.Append(c);
                continue;
            }
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return builder.ToString();
    }

    /// <summary>A value for quoting: printable, and cut to <paramref name="maxLength"/> characters with a note of the rest.</summary>
    public static string Quote(string value, int maxLength = MaxQuotedLength) =>
        Printable(value.Length <= maxLength ? value : $"{value[..maxLength]}... ({value.Length - maxLength:N0} more characters)");

    // C0 and C1 controls, DEL, and the bidirectional overrides that can reorder what a terminal shows.
    private static bool IsEscaped(char c) => char.IsControl(c) || c is (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
}
