using System.Text;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Formats;

namespace HybridDiffusion.Tests.Core.Formats;

public sealed class NpyArrayTests
{
    [Fact]
    public void WrittenArraysReadBackWithTheirShapeAndValues()
    {
        using var folder = new TempFolder();
        var array = new NpyArray(new[] { 1.5f, -2.25f, float.MaxValue, 0f, 1e-30f, -0f }, new[] { 1, 2, 3 });
        array.Write(folder["a.npy"]);
        var read = NpyArray.Read(folder["a.npy"]);
        Assert.Equal(new[] { 1, 2, 3 }, read.Shape);
        Assert.Equal(array.Values, read.Values);
        Assert.Equal("(1, 2, 3)", read.ShapeText);
        // numpy pads the header so the data starts at a multiple of 64 bytes.
        Assert.Equal(0, (File.ReadAllBytes(folder["a.npy"]).Length - 6 * 4) % 64);
    }

    [ReferenceFact]
    public void ReadsTheReferenceCasesNumpyFiles()
    {
        var latents = NpyArray.Read(Path.Combine(SharedData.DiffusersReference!, "cases", "sd-ddim-10", "initial_latents.npy"));
        Assert.Equal(new[] { 1, 4, 16, 16 }, latents.Shape);
        // torch.randn(…, generator=torch.Generator().manual_seed(0)) starts -1.1258, -1.1524.
        Assert.Equal(-1.1258398f, latents.Values[0]);
    }

    [Theory]
    [InlineData("'<f8'", "(2,)", 16, "dtype is '<f8'")]
    [InlineData("'>f4'", "(2,)", 8, "dtype is '>f4'")]
    [InlineData("'<i4'", "(2,)", 8, "dtype is '<i4'")]
    [InlineData("'<f4'", "(2,)", 4, "truncated")]
    [InlineData("'<f4'", "(2,)", 12, "4 bytes after")]
    [InlineData("'<f4'", "(2, x)", 8, "not a list of sizes")]
    public void RefusesOtherDtypesTruncatedDataAndBadShapes(string dtype, string shape, int dataBytes, string expected)
    {
        var ex = Assert.Throws<HybridDiffusionException>(() => NpyArray.Parse(Npy(dtype, shape, fortran: false, dataBytes), "x.npy", "--latents"));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("--latents 'x.npy'", ex.Message);
        Assert.Equal(HybridErrorKind.IOFailure, ex.Kind);
    }

    [Fact]
    public void RefusesFortranOrderAndFilesThatAreNotNumpy()
    {
        Assert.Contains("Fortran order", Assert.Throws<HybridDiffusionException>(() => NpyArray.Parse(Npy("'<f4'", "(2,)", fortran: true, 8), "x.npy")).Message);
        Assert.Contains("magic", Assert.Throws<HybridDiffusionException>(() => NpyArray.Parse(Encoding.ASCII.GetBytes("PK\u0003\u0004 a zip file"), "x.npy")).Message);
        Assert.Contains("ends inside its header", Assert.Throws<HybridDiffusionException>(() => NpyArray.Parse(Npy("'<f4'", "(2,)", false, 8)[..20], "x.npy")).Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var ex = Assert.Throws<HybridDiffusionException>(() => NpyArray.Read("/nonexistent/latents.npy", "--latents"));
        Assert.Contains("--latents '/nonexistent/latents.npy' does not exist", ex.Message);
    }

    [Fact]
    public void LatentsMustHaveTheRunsShape()
    {
        var latents = new NpyArray(new float[4 * 8 * 8], new[] { 1, 4, 8, 8 });
        Assert.Same(latents.Values, latents.LatentOf(4, 8, 8));
        var ex = Assert.Throws<HybridDiffusionException>(() => latents.LatentOf(4, 16, 16));
        Assert.Contains("have shape (1, 4, 8, 8); this run needs (1, 4, 16, 16)", ex.Message);
        Assert.Throws<HybridDiffusionException>(() => new NpyArray(new float[4 * 8 * 8], new[] { 2, 2, 8, 8 }).LatentOf(4, 8, 8));
    }

    private static byte[] Npy(string dtype, string shape, bool fortran, int dataBytes)
    {
        var header = $"{{'descr': {dtype}, 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.AddRange(new byte[] { 1, 0, (byte)header.Length, 0 });
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(new byte[dataBytes]);
        return bytes.ToArray();
    }

    [Fact]
    public void ANpyShapeWhoseCountWrapsRoundSixtyFourBitsIsRefused()
    {
        // 308761441 · 1867010176 · 8 wraps round 2^64 to a small count: a wrapped product would match the data.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (308761441, 1867010176, 8), }";
        var bytes = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 }
            .Concat(Encoding.Latin1.GetBytes(header)).Concat(new byte[64]).ToArray();
        var ex = Assert.Throws<HybridDiffusionException>(() => NpyArray.Parse(bytes, "wrapped.npy"));
        Assert.Contains("holds more values than any file can", ex.Message);
    }

    [Fact]
    public void AnArrayOverItsCapIsRefusedBeforeReading()
    {
        using var folder = new TempFolder();
        var path = folder["big.npy"];
        using (var stream = File.Create(path))
        {
            stream.SetLength(InputLimits.NpyBytes + 1);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<HybridDiffusionException>(() => NpyArray.Read(path, "the initial latents"));
        Assert.Contains("over the limit of 256 MiB", ex.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }
}
