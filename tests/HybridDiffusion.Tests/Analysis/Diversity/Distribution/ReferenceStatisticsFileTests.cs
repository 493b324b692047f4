using HybridDiffusion.Analysis.Diversity.Distribution;
using HybridDiffusion.Contracts;
using HybridDiffusion.Tests.Support;

namespace HybridDiffusion.Tests.Analysis.Diversity.Distribution;

/// <summary>
/// Reference statistics written once and read back exactly; a mismatch of embedding model or preprocessing refused
/// naming both; every damaged, truncated, foreign or oversized file refused as a file problem that names it.
/// </summary>
public sealed class ReferenceStatisticsFileTests
{
    private const string Model = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(300)]
    public void WhatIsWrittenIsReadBackExactly(int d)
    {
        using var folder = new TempFolder();
        var statistics = Reference(d);
        string path = Path.Combine(folder.Path, "coco" + ReferenceStatisticsFile.Extension);
        ReferenceStatisticsFile.Write(path, statistics);
        Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
        var read = ReferenceStatisticsFile.Read(path);
        Assert.Equal(statistics.Statistics.Mean, read.Statistics.Mean);
        Assert.Equal(statistics.Statistics.Covariance, read.Statistics.Covariance);
        Assert.Equal(statistics.Statistics.Count, read.Statistics.Count);
        Assert.Equal((statistics.EmbeddingModelSha256, statistics.Preprocessing, statistics.Source), (read.EmbeddingModelSha256, read.Preprocessing, read.Source));
    }

    [Fact]
    public void AnotherModelOrPreprocessingIsRefusedNamingBoth()
    {
        var statistics = Reference(3);
        statistics.RequireSameEmbedding(Model.ToUpperInvariant(), statistics.Preprocessing, "ref.fidstats");
        var model = Assert.Throws<HybridDiffusionException>(() => statistics.RequireSameEmbedding(new string('f', 64), statistics.Preprocessing, "ref.fidstats"));
        Assert.Equal(HybridErrorKind.InvalidArgument, model.Kind);
        Assert.Contains("0123456789ab", model.Message);
        Assert.Contains("ffffffffffff", model.Message);
        var preprocessing = Assert.Throws<HybridDiffusionException>(() => statistics.RequireSameEmbedding(Model, "224 px bilinear", "ref.fidstats"));
        Assert.Contains("'299 px bicubic, Inception range'", preprocessing.Message);
        Assert.Contains("'224 px bilinear'", preprocessing.Message);
    }

    [Fact]
    public void DamagedFilesAreRefusedAsFileProblems()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "ref.fidstats");
        ReferenceStatisticsFile.Write(path, Reference(5));
        var good = File.ReadAllBytes(path);

        AssertRefused(path, Flip(good, good.Length - 3), "hash");
        AssertRefused(path, good[..^8], "truncated");
        AssertRefused(path, good.Concat(new byte[8]).ToArray(), "truncated");
        AssertRefused(path, Flip(good, 0), "magic bytes");
        var hugeHeader = (byte[])good.Clone();
        BitConverter.GetBytes(int.MaxValue).CopyTo(hugeHeader, 8);
        AssertRefused(path, hugeHeader, "header of");
        AssertRefused(path, WithHeader(good, "\"dimension\": 5", "\"dimension\": 9"), "truncated");
        AssertRefused(path, WithHeader(good, "\"dimension\": 5", "\"dimension\": 9999"), "\"dimension\" must be a whole number from 1 to 8192");
        AssertRefused(path, WithHeader(good, "\"format\": 1", "\"format\": 2"), "format 2");
        AssertRefused(path, WithHeader(good, "\"count\"", "\"total\""), "lacks \"count\"");
        AssertRefused(path, WithHeader(good, "{", "["), "not valid JSON");
        AssertRefused(path, new byte[] { (byte)'H' }, "magic bytes");

        var missing = Assert.Throws<HybridDiffusionException>(() => ReferenceStatisticsFile.Read(Path.Combine(folder.Path, "none.fidstats")));
        Assert.NotEqual(HybridErrorKind.InvalidArgument, missing.Kind);
        Assert.Contains("folder", Assert.Throws<HybridDiffusionException>(() => ReferenceStatisticsFile.Read(folder.Path)).Message);
    }

    [Fact]
    public void StatisticsNoFeaturesCouldHaveAreRefusedThoughTheirHashMatches()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "ref.fidstats");
        var good = Reference(4);
        var (mean, covariance) = (good.Statistics.Mean, good.Statistics.Covariance);
        foreach (var (edit, expected) in new (Func<(double[] Mean, double[] Covariance)>, string)[]
        {
            // The hash is the payload's own, so each is read past it: what it holds must still be a mean and a covariance.
            (() => (mean, covariance.Select(v => -v).ToArray()), "feature 0 has the negative variance"),
            (() => (mean, covariance.Select((v, i) => i is 1 or 4 ? 10 * Math.Sqrt(covariance[0] * covariance[5]) : v).ToArray()), "features 0 and 1 covary by more than their variances allow"),
            (() => (mean.Select(v => v + 1e300).ToArray(), covariance), "beyond ±1e15"),
        })
        {
            var (badMean, badCovariance) = edit();
            ReferenceStatisticsFile.Write(path, good with { Statistics = new FeatureStatistics(badMean, badCovariance, good.Statistics.Count) });
            var error = Assert.Throws<HybridDiffusionException>(() => ReferenceStatisticsFile.Read(path));
            Assert.Equal(HybridErrorKind.IOFailure, error.Kind);
            Assert.Contains(expected, error.Message);
        }
    }

    private static void AssertRefused(string path, byte[] bytes, string expected)
    {
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<HybridDiffusionException>(() => ReferenceStatisticsFile.Read(path));
        Assert.Equal(HybridErrorKind.IOFailure, error.Kind);
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    // The file with one edit to its JSON header, the header length field rewritten to match.
    private static byte[] WithHeader(byte[] file, string find, string replace)
    {
        int length = BitConverter.ToInt32(file, 8);
        string header = System.Text.Encoding.UTF8.GetString(file, 12, length);
        Assert.Contains(find, header);
        var edited = System.Text.Encoding.UTF8.GetBytes(header.Replace(find, replace));
        return file[..8].Concat(BitConverter.GetBytes(edited.Length)).Concat(edited).Concat(file[(12 + length)..]).ToArray();
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x40;
        return copy;
    }

    private static ReferenceStatistics Reference(int d)
    {
        var moments = new FeatureMoments(d);
        foreach (var v in GaussianFixtures.Sample(d + 5, d, seed: d, offset: 0.25))
        {
            moments.Add(v);
        }
        return new ReferenceStatistics(moments.ToStatistics("reference"), Model, "299 px bicubic, Inception range", "folder coco/");
    }
}
