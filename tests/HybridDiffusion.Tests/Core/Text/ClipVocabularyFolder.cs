using System.IO.Compression;
using System.Text;
using System.Text.Json;
using HybridDiffusion.Core.Text;

namespace HybridDiffusion.Tests.Core.Text;

/// <summary>
/// OpenAI CLIP's real vocabulary written as a diffusers tokenizer folder (vocab.json + merges.txt), once per test run:
/// the 256 byte symbols, the same with "&lt;/w&gt;", the first 48,894 merges joined, then the start and end tokens.
/// </summary>
internal static class ClipVocabularyFolder
{
    private const int MergeCount = 49152 - 256 - 2;

    private static readonly Lazy<string> s_folder = new(Write);

    public static string Path => s_folder.Value;

    private static string Write()
    {
        var source = System.IO.Path.Combine(SharedData.ClipVocabulary!, "bpe_simple_vocab_16e6.txt.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(source), CompressionMode.Decompress), Encoding.UTF8);
        reader.ReadLine(); // version line
        var merges = new List<string>(MergeCount);
        while (merges.Count < MergeCount && reader.ReadLine() is { } line)
        {
            merges.Add(line);
        }
        var symbols = ByteSymbols().ToList();
        symbols.AddRange(ByteSymbols().Select(s => s + "</w>"));
        symbols.AddRange(merges.Select(m => m.Replace(" ", "", StringComparison.Ordinal)));
        symbols.Add("<|startoftext|>");
        symbols.Add("<|endoftext|>");

        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hybrid-diffusion-tests", $"clip-vocabulary-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(System.IO.Path.Combine(folder, "vocab.json"),
            JsonSerializer.Serialize(symbols.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i)), Encoding.UTF8);
        File.WriteAllText(System.IO.Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join("\n", merges) + "\n", Encoding.UTF8);
        return folder;
    }

    /// <summary>CLIP's byte alphabet in its vocabulary order: the printable bytes (standing for themselves), then the rest (U+0100 on).</summary>
    private static IEnumerable<string> ByteSymbols() => ByteUnicodeMap.ByteToChar.Order().Select(c => c.ToString());
}
