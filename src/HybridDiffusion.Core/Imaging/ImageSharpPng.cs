using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;

namespace HybridDiffusion.Core.Imaging;

/// <summary>
/// The one ImageSharp configuration the engine reads and writes images with: it knows only PNG, its decoder skips
/// text chunks (<see cref="PngStructure"/> reads them with a size bound; ImageSharp 2.1 inflates them without one),
/// and its allocator refuses any buffer above <see cref="AllocationLimitMegabytes"/>, so no file can make decoding
/// take unbounded memory.
/// </summary>
internal static class ImageSharpPng
{
    /// <summary>The largest image read: 8192×8192 pixels (192 MiB as 8-bit RGB).</summary>
    public const long MaxPixels = 8192L * 8192;

    /// <summary>The largest text value read from a tEXt, zTXt or iTXt chunk, after inflating.</summary>
    public const int MaxTextBytes = 1 << 20;

    /// <summary>ImageSharp's limit on one buffer: room for the largest image as 8-bit RGB, which it decodes into row by row.</summary>
    public const int AllocationLimitMegabytes = 256;

    public static Configuration Configuration { get; } = Create();

    private static Configuration Create()
    {
        var configuration = new Configuration(new PngConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                AllocationLimitMegabytes = AllocationLimitMegabytes,
                MaximumPoolSizeMegabytes = 64,
            }),
        };
        configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new SixLabors.ImageSharp.Formats.Png.PngDecoder { IgnoreMetadata = true });
        return configuration;
    }
}
