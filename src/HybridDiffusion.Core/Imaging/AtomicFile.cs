using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Output;

namespace HybridDiffusion.Core.Imaging;

/// <summary>Writes a file through a temporary name in the same folder, then moves it into place.</summary>
internal static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        try
        {
            using var temp = TempEntry.Claim(path, isFolder: false);
            using (var stream = new FileStream(temp.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp.Path, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure, $"Cannot write '{path}': {ex.Message}", path, ex);
        }
    }
}
