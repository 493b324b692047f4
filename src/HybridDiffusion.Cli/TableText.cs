namespace HybridDiffusion.Cli;

/// <summary>The column and row helpers every verb's table shares.</summary>
internal static class TableText
{
    /// <summary>The width of a table's group column: the longest name, within 5 to 40 characters.</summary>
    internal static int GroupWidth(IEnumerable<string> groups) => Math.Clamp(groups.Select(g => g.Length).DefaultIfEmpty(5).Max(), 5, 40);

    /// <summary>
    /// A table's lines as printed: a cell's text comes from files (a PNG's prompt or text key, a file name, a study, a
    /// .fidstats header), so every control character in a line is written as an escape and none can colour the terminal
    /// or start a line that reads like one of ours.
    /// </summary>
    internal static string Rows(IEnumerable<string> lines) => string.Join(Environment.NewLine, lines.Select(MessageText.Printable));

    /// <summary>A group's name padded to the column, or cut with ".." when longer.</summary>
    internal static string GroupCell(string group, int width) => group.Length > width ? group[..(width - 2)] + ".." : group.PadRight(width);
}
