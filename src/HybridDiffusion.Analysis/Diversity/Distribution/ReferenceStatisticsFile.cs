using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HybridDiffusion.Core.Formats;

namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// Reference statistics saved once and reused (`.fidstats`): the magic bytes "HDFIDST1", a 4-byte little-endian
/// header length, a UTF-8 JSON header (format, dimension, count, embedding model SHA-256, preprocessing, source,
/// payload SHA-256), then little-endian doubles: the mean (D), then the covariance's upper triangle row by row
/// (D(D + 1)/2; the matrix is symmetric). Binary because a 2048-feature covariance is 4 million numbers; doubles
/// because FID subtracts large traces.
/// </summary>
/// <remarks>
/// Read as untrusted input: the size is capped before opening (<see cref="InputFile"/>), the header is parsed by
/// <see cref="BoundedJson"/> within its own cap, the file's length must be exactly what the header's dimension implies,
/// and the payload must match its hash and hold finite numbers. Written whole through a temporary file, then moved.
/// </remarks>
public static class ReferenceStatisticsFile
{
    /// <summary>The customary file name extension.</summary>
    public const string Extension = ".fidstats";

    /// <summary>The widest feature vector a file may hold (Inception pool3: 2048; the largest CLIP/DINO embeddings: 1024 to 1536).</summary>
    public const int MaxDimension = 8192;

    private const string What = "Reference statistics";
    private const int MaxHeaderBytes = 64 << 10;
    private const int Format = 1;
    private static ReadOnlySpan<byte> Magic => "HDFIDST1"u8;

    /// <summary>The largest file read: the header cap plus the payload of <see cref="MaxDimension"/> features.</summary>
    public static long MaxBytes => PrefixBytes + MaxHeaderBytes + PayloadBytes(MaxDimension);

    private static int PrefixBytes => Magic.Length + sizeof(int);

    /// <summary>Writes <paramref name="statistics"/> to <paramref name="path"/> (temporary file, then move).</summary>
    public static void Write(string path, ReferenceStatistics statistics)
    {
        var moments = statistics.Statistics;
        moments.RequireConsistent("reference");
        int d = moments.Dimension;
        if (d > MaxDimension)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                $"Reference statistics of {d} features are wider than the {MaxDimension} a statistics file holds.", path);
        }
        var payload = new byte[PayloadBytes(d)];
        var values = MemoryMarshal.Cast<byte, double>(payload.AsSpan());
        moments.Mean.CopyTo(values);
        int at = d;
        for (int i = 0; i < d; i++)
        {
            moments.Covariance.AsSpan(i * d + i, d - i).CopyTo(values[at..]);
            at += d - i;
        }
        ToLittleEndian(values);
        var header = new JsonObject
        {
            ["format"] = Format,
            ["dimension"] = d,
            ["count"] = moments.Count,
            ["embeddingModelSha256"] = statistics.EmbeddingModelSha256.ToLowerInvariant(),
            ["preprocessing"] = statistics.Preprocessing,
            ["source"] = statistics.Source,
            ["payloadSha256"] = Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant(),
        };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var file = new byte[PrefixBytes + headerBytes.Length + payload.Length];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(Magic.Length), headerBytes.Length);
        headerBytes.CopyTo(file, PrefixBytes);
        payload.CopyTo(file, PrefixBytes + headerBytes.Length);
        AtomicFile.WriteAllBytes(path, file);
    }

    /// <summary>Reads a statistics file written by <see cref="Write"/>; every problem is a file error naming it.</summary>
    public static ReferenceStatistics Read(string path)
    {
        const HybridErrorKind kind = HybridErrorKind.IOFailure;
        HybridDiffusionException Bad(string problem) => new(kind,
            $"{What} '{path}' {problem}. Make it again with the run that saves reference statistics.", path);

        using var stream = InputFile.OpenRead(path, What, MaxBytes, kind);
        // The open stream's length, not the checked one: the file may have changed in between.
        long length = stream.Length;
        var prefix = new byte[PrefixBytes];
        if (length < PrefixBytes || stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length
            || !prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Bad("is not a reference statistics file (it does not start with the magic bytes HDFIDST1)");
        }
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(prefix.AsSpan(Magic.Length));
        if (headerLength < 2 || headerLength > MaxHeaderBytes || headerLength > length - PrefixBytes)
        {
            throw Bad($"declares a header of {headerLength} bytes, outside 2 to {MaxHeaderBytes} bytes or past the end of the file");
        }
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, path);
        var header = BoundedJson.ParseObject(headerBytes, path, What, kind);
        int format = BoundedJson.Int(header, "format", 0, int.MaxValue, path, kind);
        if (format != Format)
        {
            throw Bad($"is format {format}; this version reads format {Format}");
        }
        int d = BoundedJson.Int(header, "dimension", 1, MaxDimension, path, kind);
        int count = BoundedJson.Int(header, "count", 2, int.MaxValue, path, kind);
        string model = BoundedJson.String(header, "embeddingModelSha256", path, kind)!;
        string preprocessing = BoundedJson.String(header, "preprocessing", path, kind)!;
        string source = BoundedJson.String(header, "source", path, kind)!;
        string payloadHash = BoundedJson.String(header, "payloadSha256", path, kind)!;
        long expected = PrefixBytes + headerLength + PayloadBytes(d);
        if (length != expected)
        {
            throw Bad($"is {length} bytes; its header's {d} features make it {expected}: it is truncated or has bytes appended");
        }
        var payload = new byte[PayloadBytes(d)];
        ReadExactly(stream, payload, path);
        if (!string.Equals(Convert.ToHexString(SHA256.HashData(payload)), payloadHash, StringComparison.OrdinalIgnoreCase))
        {
            throw Bad("does not match the hash its header records: it was damaged or edited");
        }
        var values = MemoryMarshal.Cast<byte, double>(payload.AsSpan());
        ToLittleEndian(values);
        int bad = FirstNotFinite(values);
        if (bad >= 0)
        {
            throw Bad($"holds a value that is not a finite number (value {bad} of the payload)");
        }
        var mean = values[..d].ToArray();
        var covariance = new double[(long)d * d];
        int at = d;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++, at++)
            {
                covariance[(long)i * d + j] = covariance[(long)j * d + i] = values[at];
            }
        }
        if (CovarianceProblem(mean, covariance, d) is string problem)
        {
            throw Bad(problem);
        }
        return new ReferenceStatistics(new FeatureStatistics(mean, covariance, count), model, preprocessing, source);
    }

    // What any mean and covariance of real features satisfy, checked in O(d²): the hash proves only that the payload is
    // the one its header names, not that a program computed it, and FID clamps what a covariance cannot be to a distance
    // of 0 (a negated covariance gave FID 0 and passed its gate). Full positive semi-definiteness would need an
    // eigendecomposition as costly as the FID itself; these are its necessary conditions.
    private static string? CovarianceProblem(double[] mean, double[] covariance, int d)
    {
        if (mean.Concat(covariance).Any(v => Math.Abs(v) > MaxMagnitude))
        {
            return $"holds a value beyond ±{MaxMagnitude:0e0}, which no embedding's statistics reach";
        }
        for (int i = 0; i < d; i++)
        {
            double variance = covariance[(long)i * d + i];
            if (variance < 0)
            {
                return $"is not a covariance: feature {i} has the negative variance {variance:G4}";
            }
            for (int j = 0; j < i; j++)
            {
                double bound = Math.Sqrt(variance * covariance[(long)j * d + j]);
                if (Math.Abs(covariance[(long)i * d + j]) > bound * (1 + 1e-9) + double.Epsilon)
                {
                    return $"is not a covariance: features {j} and {i} covary by more than their variances allow";
                }
            }
        }
        return null;
    }

    /// <summary>The largest magnitude a mean or covariance value may have: far above any model's features, far below an overflow of FID's sums.</summary>
    private const double MaxMagnitude = 1e15;

    private static void ReadExactly(Stream stream, byte[] buffer, string path)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure, $"{What} '{path}' cannot be read whole ({ex.Message}); try again.", path, ex);
        }
    }

    private static long PayloadBytes(int d) => sizeof(double) * (d + (long)d * (d + 1) / 2);

    private static int FirstNotFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }

    // The file is little-endian; on a big-endian machine the doubles are swapped in place (a no-op on x64 and Arm64).
    private static void ToLittleEndian(Span<double> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            var raw = MemoryMarshal.Cast<double, long>(values);
            BinaryPrimitives.ReverseEndianness(raw, raw);
        }
    }
}
