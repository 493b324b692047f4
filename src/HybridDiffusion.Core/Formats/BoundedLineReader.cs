using System.Text;

namespace HybridDiffusion.Core.Formats;

/// <summary>
/// Reads text line by line with a cap on each line and on the whole, so a 600 MB line (or /dev/zero) on standard input
/// or in a merges file ends with a message instead of gigabytes of memory. A line too long is never kept whole:
/// reading stops at the cap.
/// </summary>
/// <remarks>Lines end at "\n", "\r\n" or "\r", as <see cref="TextReader.ReadLine"/> has it.</remarks>
public sealed class BoundedLineReader
{
    private readonly TextReader _reader;
    private readonly int _maxLineChars;
    private readonly long _maxTotalChars;
    private readonly string _source;
    private readonly HybridErrorKind _kind;
    private readonly SettingId? _setting;
    private readonly StringBuilder _line = new();
    private long _totalChars;

    /// <param name="source">What the text is, for messages ("standard input", "Tokenizer merges '/m/merges.txt'").</param>
    /// <param name="kind">The error kind of a line or text over its cap.</param>
    /// <param name="setting">The setting the text came from, for an invalid argument.</param>
    public BoundedLineReader(TextReader reader, int maxLineChars, long maxTotalChars, string source, HybridErrorKind kind, SettingId? setting = null)
    {
        _reader = reader;
        _maxLineChars = maxLineChars;
        _maxTotalChars = maxTotalChars;
        _source = source;
        _kind = kind;
        _setting = setting;
    }

    /// <summary>The number of the line last returned, from 1.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its end; null at the end of the text.</summary>
    public string? ReadLine()
    {
        _line.Clear();
        while (true)
        {
            int c = _reader.Read();
            if (c < 0)
            {
                if (_line.Length == 0)
                {
                    return null;
                }
                break;
            }
            if (++_totalChars > _maxTotalChars)
            {
                throw Problem(FormattableString.Invariant($"{_source} holds more than {_maxTotalChars:N0} characters, the most that is read"));
            }
            if (c == '\n')
            {
                break;
            }
            if (c == '\r')
            {
                if (_reader.Peek() == '\n')
                {
                    _reader.Read();
                    _totalChars++;
                }
                break;
            }
            if (_line.Length == _maxLineChars)
            {
                throw Problem(FormattableString.Invariant($"line {LineNumber + 1} of {_source} is longer than {_maxLineChars:N0} characters, the most a line may hold"));
            }
            _line.Append((char)c);
        }
        LineNumber++;
        return _line.ToString();
    }

    private HybridDiffusionException Problem(string problem)
    {
        var message = char.ToUpperInvariant(problem[0]) + problem[1..] + "; it is not read further.";
        return _setting is SettingId setting
            ? HybridDiffusionException.Argument(setting, message)
            : new HybridDiffusionException(_kind, message, _source);
    }
}
