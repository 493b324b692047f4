using System.Text;

namespace HybridDiffusion.Core.Output;

/// <summary>
/// One temporary file or folder of this tool beside its final path, with the owner marker that lets a later sweep
/// prove this tool made it (see <see cref="TempNames"/>). Disposing removes whatever of the entry was not moved into
/// place, then the marker.
/// </summary>
public sealed class TempEntry : IDisposable
{
    private readonly string _marker;

    private TempEntry(string path)
    {
        Path = path;
        _marker = path + TempNames.MarkerSuffix;
    }

    /// <summary>The temporary path; the caller creates the file or folder there.</summary>
    public string Path { get; }

    /// <summary>Writes the owner marker for a fresh temporary name beside <paramref name="finalPath"/>.</summary>
    /// <exception cref="IOException">The folder does not accept a new file.</exception>
    /// <exception cref="UnauthorizedAccessException">This user may not create files in the folder.</exception>
    public static TempEntry Claim(string finalPath, bool isFolder)
    {
        var entry = new TempEntry(TempNames.For(finalPath));
        var text = Encoding.UTF8.GetBytes(TempNames.MarkerText(System.IO.Path.GetFileName(entry.Path), isFolder));
        using (var marker = new FileStream(entry._marker, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            marker.Write(text);
        }
        return entry;
    }

    public void Dispose()
    {
        // The marker goes only once the entry is gone, so an entry is never left without its proof of ownership.
        if (TempNames.TryDelete(Path))
        {
            TempNames.TryDelete(_marker);
        }
    }
}
