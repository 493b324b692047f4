namespace HybridDiffusion.Core.Text;

/// <summary>
/// The byte-level BPE alphabet: each of the 256 byte values maps to a printable character
/// (printable Latin-1 bytes map to themselves, the others to U+0100 onwards), so any UTF-8 text has a token.
/// </summary>
public static class ByteUnicodeMap
{
    public static IReadOnlyList<char> ByteToChar { get; } = Build();

    private static char[] Build()
    {
        var map = new char[256];
        var assigned = new bool[256];
        foreach (var (from, to) in new[] { ('!', '~'), ('¡', '¬'), ('®', 'ÿ') })
        {
            for (int b = from; b <= to; b++)
            {
                map[b] = (char)b;
                assigned[b] = true;
            }
        }
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            if (!assigned[b])
            {
                map[b] = (char)(256 + next++);
            }
        }
        return map;
    }
}
