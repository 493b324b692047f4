using HybridDiffusion.Core.Output;

namespace HybridDiffusion.Core.Imaging;

/// <summary>Writes a file through a temporary name in the same folder, then moves it into place; every layer
/// writes its files whole through it.</summary>
public static class AtomicFile
{
    /// <param name="flushToDisk">
    /// Whether the bytes reach the disk before the move. The move alone keeps a killed process from leaving half a
    /// file; the flush also survives a power cut. Writers that verify what they read back (the study's units, checked
    /// against their recorded hash on resume) may skip it.
    /// </param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool flushToDisk = true)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        try
        {
            using var temp = TempEntry.Claim(path, isFolder: false);
            using (var stream = new FileStream(temp.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk);
            }
            File.Move(temp.Path, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure, $"Cannot write '{path}': {ex.Message}", path, ex);
        }
    }
}
