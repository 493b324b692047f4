using System.Diagnostics;
using Xunit.Abstractions;
using HybridDiffusion.Contracts;

namespace HybridDiffusion.Tests.Support;

/// <summary>
/// Runs fuzz cases (each a file's bytes) through a reader, one file at a time: each must read or end in a
/// HybridDiffusionException that names the file (and holds no terminal escape), none may crash, and none may allocate
/// more than the bound its size allows. The caller judges the counts (whether the mutations broke enough files).
/// </summary>
internal static class FileFuzz
{
    public static (int Read, int Refused) Run(IEnumerable<(string Description, byte[] Bytes)> cases, string fileName, Action<string> read,
        Func<long, long> allocationBound, ITestOutputHelper output)
    {
        using var folder = new TempFolder();
        var path = folder[fileName];
        int loaded = 0, refused = 0;
        var crashes = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        foreach (var (description, bytes) in cases)
        {
            File.WriteAllBytes(path, bytes);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read(path);
                loaded++;
            }
            catch (HybridDiffusionException ex)
            {
                Assert.Contains(path, ex.Message);
                Assert.DoesNotContain('\u001b', ex.Message);
                refused++;
            }
            catch (Exception ex)
            {
                crashes.Add($"{description}: {ex}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= allocationBound(bytes.Length), $"{description}: {allocated} bytes allocated for a {bytes.Length}-byte file");
        }
        output.WriteLine($"{loaded + refused + crashes.Count} files: {loaded} read, {refused} refused with a message, {crashes.Count} crashes, in {stopwatch.Elapsed.TotalSeconds:F2} s");
        Assert.True(crashes.Count == 0, string.Join("\n", crashes));
        return (loaded, refused);
    }

    /// <summary>The seed cut short at a random length.</summary>
    public static (string Description, byte[] Bytes) Truncated(Random random, byte[] seed)
    {
        int cut = random.Next(seed.Length);
        return ($"truncated to {cut} bytes", seed[..cut]);
    }

    /// <summary>The seed with 1 to 8 of its bytes set at random, at places <paramref name="place"/> picks (anywhere when null).</summary>
    public static (string Description, byte[] Bytes) WithRandomBytes(Random random, byte[] seed, Func<int>? place = null)
    {
        var bytes = seed.ToArray();
        int flips = 1 + random.Next(8);
        for (int i = 0; i < flips; i++)
        {
            bytes[place?.Invoke() ?? random.Next(bytes.Length)] = (byte)random.Next(256);
        }
        return ($"{flips} random bytes", bytes);
    }
}
