using System.Text;

namespace HybridDiffusion.Core.Formats;

/// <summary>
/// Reads text line by line with a cap on each line and on the whole, so a 600 MB line (or /dev/zero) on standard input
/// or in a merges file ends with a message instead of gigabytes of memory. A line too long is never kept whole:
/// reading stops at the cap.
/// </summary>
/// <remarks>Lines end at "\n", "\r\n" or "\r", as <see cref="TextReader.ReadLine"/> has it.</remarks>
/// <param name="source">What the text is, for messages ("standard input", "Tokenizer merges '/m/merges.txt'").</param>
/// <param name="kind">The error kind of a line or text over its cap.</param>
/// <param name="setting">The setting the text came from, for an invalid argument.</param>
public sealed class BoundedLineReader(TextReader reader, int maxLineChars, long maxTotalChars, string source, HybridErrorKind kind, SettingId? setting = null)
{
    private readonly StringBuilder _line = new();
    private long _totalChars;

    /// <summary>The number of the line last returned, from 1.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its end; null at the end of the text.</summary>
    public string? ReadLine()
    {
        _line.Clear();
        while (true)
        {
            int c = reader.Read();
            if (c < 0)
            {
                if (_line.Length == 0)
                {
                    return null;
                }
                break;
            }
            if (++_totalChars > maxTotalChars)
            {
                throw Problem(FormattableString.Invariant($"{source} holds more than {maxTotalChars:N0} characters, the most that is read"));
            }
            if (c == '\n')
            {
                break;
            }
            if (c == '\r')
            {
                if (reader.Peek() == '\n')
                {
                    reader.Read();
                    _totalChars++;
                }
                break;
            }
            if (_line.Length == maxLineChars)
            {
                throw Problem(FormattableString.Invariant($"line {LineNumber + 1} of {source} is longer than {maxLineChars:N0} characters, the most a line may hold"));
            }
            _line.Append((char)c);
        }
        LineNumber++;
        return _line.ToString();
    }

    private HybridDiffusionException Problem(string problem)
    {
        var message = char.ToUpperInvariant(problem[0]) + problem[1..] + "; it is not read further.";
        return setting is SettingId id
            ? HybridDiffusionException.Argument(id, message)
            : new HybridDiffusionException(kind, message, source);
    }
}
