using System.Security.Cryptography;

namespace HybridDiffusion.Core.Models;

/// <summary>
/// A cheap identity of a model file that does not depend on where it lies: SHA-256 over its length and its first and
/// last mebibyte. Hashing whole UNets (gigabytes) would cost more than the probe it seeds; the same export copied to
/// another machine, as the shards of a study run it, gives the same fingerprint.
/// </summary>
internal static class ModelFingerprint
{
    private const int EdgeBytes = 1 << 20;

    public static byte[] Of(string path)
    {
        using var file = File.OpenRead(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(file.Length));
        var buffer = new byte[(int)Math.Min(EdgeBytes, file.Length)];
        file.ReadExactly(buffer);
        hash.AppendData(buffer);
        file.Seek(-buffer.Length, SeekOrigin.End);
        file.ReadExactly(buffer);
        hash.AppendData(buffer);
        return hash.GetHashAndReset();
    }
}
