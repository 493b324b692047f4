using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HybridDiffusion.Core.Imaging;

namespace HybridDiffusion.Core.Formats;

/// <summary>
/// A float32 array in numpy's .npy format (version 1–3 header, little-endian '&lt;f4', C order): what diffusers' reference
/// cases and `--latents` files hold. Other dtypes, Fortran order and truncated data are refused with a message naming the file.
/// </summary>
public sealed partial class NpyArray
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    public NpyArray(float[] values, IReadOnlyList<int> shape)
    {
        if (shape.Any(d => d < 0) || ElementCount(shape) is not long count || count != values.Length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) does not hold {values.Length} values.", nameof(shape));
        }
        Values = values;
        Shape = shape.ToArray();
    }

    public float[] Values { get; }

    /// <summary>The file it was read from; null for an array made in memory.</summary>
    public string? Source { get; private init; }

    public IReadOnlyList<int> Shape { get; }

    /// <summary>The shape as numpy prints it, e.g. (1, 4, 16, 16).</summary>
    public string ShapeText => Describe(Shape);

    public static string Describe(IReadOnlyList<int> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    /// <summary>
    /// Reads a .npy file of at most <see cref="InputLimits.NpyBytes"/>; <paramref name="what"/> names it in messages (e.g. "--latents").
    /// </summary>
    public static NpyArray Read(string path, string? what = null)
    {
        var bytes = InputFile.ReadAllBytes(path, what ?? "Array", InputLimits.NpyBytes, HybridErrorKind.IOFailure);
        var array = Parse(bytes, path, what);
        return new NpyArray(array.Values, array.Shape) { Source = Path.GetFullPath(path) };
    }

    /// <summary>Parses .npy bytes; <paramref name="path"/> only names the source in messages.</summary>
    public static NpyArray Parse(ReadOnlySpan<byte> bytes, string path, string? what = null)
    {
        string label = Label(path, what);
        HybridDiffusionException Bad(string problem) => new(HybridErrorKind.IOFailure,
            $"{label} is not a float32 .npy array: {problem}. Save it with numpy as np.save(path, array.astype('<f4')).", path);

        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
        {
            throw Bad("it does not start with the .npy magic bytes");
        }
        int major = bytes[6];
        int headerLengthSize = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw Bad($"format version {major}.{bytes[7]} is not one of 1.0, 2.0, 3.0"),
        };
        if (bytes.Length < 8 + headerLengthSize)
        {
            throw Bad("the file ends inside its header");
        }
        long headerLength = headerLengthSize == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        long dataStart = 8 + headerLengthSize + headerLength;
        if (dataStart > bytes.Length)
        {
            throw Bad("the file ends inside its header");
        }
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes[(8 + headerLengthSize)..(int)dataStart]);
        // The header is a short Python dict; anything longer is not one, and is not repeated in messages.
        string quoted = MessageText.Quote(header.Trim(), 120);
        var descr = DescrPattern().Match(header);
        var order = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success)
        {
            throw Bad($"its header '{quoted}' lacks descr, fortran_order or shape");
        }
        string dtype = descr.Groups[1].Value;
        if (dtype is not ("<f4" or "f4"))
        {
            throw Bad($"its dtype is '{MessageText.Quote(dtype, 20)}', not '<f4' (little-endian float32)");
        }
        if (order.Groups[1].Value == "True")
        {
            throw Bad("it is stored in Fortran order, not C order");
        }
        var shape = new List<int>();
        foreach (var part in shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out int dim))
            {
                throw Bad($"its shape ({MessageText.Quote(shapeMatch.Groups[1].Value, 80)}) is not a list of sizes");
            }
            shape.Add(dim);
        }
        // Sizes are multiplied with overflow checked: a shape whose count wraps round 64 bits is not a shape of these bytes.
        if (ElementCount(shape) is not long count || count > long.MaxValue / 4)
        {
            throw Bad($"its shape {Describe(shape)} holds more values than any file can");
        }
        long dataBytes = count * 4;
        long available = bytes.Length - dataStart;
        if (available < dataBytes)
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure,
                $"{label} is truncated: its shape {Describe(shape)} needs {dataBytes} bytes of data, but it holds {available}. " +
                "Copy or save the file again.", path);
        }
        if (available > dataBytes)
        {
            throw Bad($"it holds {available - dataBytes} bytes after the {count} values its shape {Describe(shape)} names");
        }
        var values = new float[count];
        var data = bytes[(int)dataStart..];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
        }
        return new NpyArray(values, shape);
    }

    /// <summary>The .npy bytes (version 1.0, '&lt;f4', C order), header padded to a multiple of 64 bytes as numpy writes it.</summary>
    public byte[] ToBytes()
    {
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {Describe(Shape)}, }}";
        int unpadded = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        var bytes = new byte[10 + header.Length + Values.Length * 4];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.Latin1.GetBytes(header, bytes.AsSpan(10));
        var data = bytes.AsSpan(10 + header.Length);
        for (int i = 0; i < Values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data[(i * 4)..], Values[i]);
        }
        return bytes;
    }

    /// <summary>Writes the array through a temporary file, so a failed write leaves nothing half-written.</summary>
    public void Write(string path) => AtomicFile.WriteAllBytes(path, ToBytes());

    /// <summary>Fails with a message naming the file unless the array has exactly <paramref name="expected"/> as its shape.</summary>
    public NpyArray RequireShape(IReadOnlyList<int> expected, string path, string? what = null)
    {
        if (!Shape.SequenceEqual(expected))
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                $"{Label(path, what)} has shape {ShapeText}; expected {Describe(expected)}.", path);
        }
        return this;
    }

    /// <summary>The values as one image's latent: the array must be [1, C, h, w] (or [C, h, w]) with exactly these sizes.</summary>
    public float[] LatentOf(int channels, int latentHeight, int latentWidth)
    {
        var expected = new[] { 1, channels, latentHeight, latentWidth };
        if (!Shape.SequenceEqual(expected) && !Shape.SequenceEqual(expected[1..]))
        {
            throw HybridDiffusionException.Argument(SettingId.InitialLatents,
                $"The initial latents {(Source is null ? "" : $"'{Source}' ")}have shape {ShapeText}; this run needs {Describe(expected)}: " +
                $"{channels} latent channels and the image size divided by 8 ({latentHeight * 8}x{latentWidth * 8} pixels for these latents " +
                "means height then width). Match the width and height to the file.");
        }
        return Values;
    }

    // The product of the sizes, or null when it overflows 64 bits.
    private static long? ElementCount(IReadOnlyList<int> shape)
    {
        try
        {
            return shape.Aggregate(1L, (count, size) => checked(count * size));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static string Label(string path, string? what) => what is null ? $"'{path}'" : $"{what} '{path}'";

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
