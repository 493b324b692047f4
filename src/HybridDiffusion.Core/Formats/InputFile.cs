namespace HybridDiffusion.Core.Formats;

/// <summary>
/// Files the user names, or that a model folder, case or LoRA names, checked before anything opens them: each must be a
/// regular file (or a link to one) of at least one byte and at most a cap that fits its kind. So a pipe never blocks a
/// run, a device (/dev/zero) is never read, and memory stays bounded whatever a file claims. The messages name the
/// file and never repeat its contents.
/// </summary>
/// <remarks>
/// Pipes, devices and sockets report a length of 0, so "at least one byte" is what keeps them out without opening them
/// (opening a pipe blocks until someone writes to it); no file of any format this tool reads is empty.
/// </remarks>
public static class InputFile
{
    /// <summary>Checks <paramref name="path"/> and returns its length in bytes.</summary>
    /// <param name="what">What the file is, in words, for messages ("Tokenizer vocabulary").</param>
    /// <param name="maxBytes">The largest file of this kind that is read.</param>
    /// <param name="kind">The error kind of every problem found.</param>
    public static long Check(string path, string what, long maxBytes, HybridErrorKind kind)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                // A link is followed to the file it finally names; that file is what is checked and read.
                info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new HybridDiffusionException(kind, $"{what} '{path}' cannot be read: {ex.Message}", path, ex);
        }
        if (!info.Exists)
        {
            throw Directory.Exists(info.FullName)
                ? new HybridDiffusionException(kind, $"{what} '{path}' is a folder; name a file.", path)
                : new HybridDiffusionException(kind == HybridErrorKind.InvalidArgument ? kind : HybridErrorKind.ModelNotFound,
                    $"{what} '{path}' does not exist.", path);
        }
        long length = info.Length;
        if (length == 0)
        {
            throw new HybridDiffusionException(kind,
                $"{what} '{path}' is empty or is not a regular file (a pipe, device or socket); name a regular file.", path);
        }
        if (length > maxBytes)
        {
            throw new HybridDiffusionException(kind,
                $"{what} '{path}' is {Size(length)}, over the limit of {Size(maxBytes)} for this kind of file; it is not read.", path);
        }
        return length;
    }

    /// <summary>The whole file, after <see cref="Check"/>.</summary>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes, HybridErrorKind kind)
    {
        Check(path, what, maxBytes, kind);
        try
        {
            // Read through one stream so a file that grew since the check is still cut at the cap.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            long length = stream.Length;
            if (length == 0 || length > maxBytes)
            {
                throw new HybridDiffusionException(kind, $"{what} '{path}' changed while it was read; try again.", path);
            }
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HybridDiffusionException(kind, $"{what} '{path}' cannot be read: {ex.Message}", path, ex);
        }
    }

    /// <summary>A stream over the file, after <see cref="Check"/>; the caller disposes it.</summary>
    public static FileStream OpenRead(string path, string what, long maxBytes, HybridErrorKind kind)
    {
        Check(path, what, maxBytes, kind);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HybridDiffusionException(kind, $"{what} '{path}' cannot be read: {ex.Message}", path, ex);
        }
    }

    /// <summary>A byte count in words: "1.5 GiB", "64 KiB", "100 bytes".</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => FormattableString.Invariant($"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => FormattableString.Invariant($"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => FormattableString.Invariant($"{bytes / 1024.0:0.#} KiB"),
        _ => FormattableString.Invariant($"{bytes} bytes"),
    };
}
