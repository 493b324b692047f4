using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Output;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Writes images that were made in memory to PNG files in one folder, as generation itself would have written them:
/// the same names ("{prompt}-{mode}-{seed}.png", unique among this export's files) and the same text chunks.
/// </summary>
public sealed class ImageExport
{
    private readonly string _folder;
    private readonly OutputNaming _naming = new(namesMayRepeat: true);

    /// <summary>Checks the folder before any image is written (see <see cref="OutputDestination.PrepareFolder"/>); creates nothing.</summary>
    public ImageExport(string folder) => _folder = OutputDestination.PrepareFolder(folder, SettingId.OutputDirectory, "the output folder");

    /// <summary>The file the image goes to; each call takes a new name, so ask once per image.</summary>
    public string PathFor(GeneratedImage image) => Path.Combine(_folder, _naming.NameFor(image.Prompt, image.Mode, image.Seed));

    /// <summary>Writes the image whole (temporary name, then moved into place) and returns it with its new path.</summary>
    public GeneratedImage Write(GeneratedImage image, string path)
    {
        WriteFile(image, path);
        return image with { Path = path };
    }

    /// <summary>Writes one image's PNG, with its text chunks, whole (temporary name, then moved into place): generation's write too.</summary>
    internal static void WriteFile(GeneratedImage image, string path) => AtomicFile.WriteAllBytes(path, PngEncoder.Encode(image.Image, image.Metadata()));
}
