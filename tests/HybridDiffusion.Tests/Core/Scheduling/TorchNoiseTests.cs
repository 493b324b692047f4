using System.Text.Json;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Scheduling;
using HybridDiffusion.Tests.Core.Parity;

namespace HybridDiffusion.Tests.Core.Scheduling;

public sealed class TorchNoiseTests
{
    [Fact]
    public void FewerThanSixteenValuesTakeTorchsScalarPathAndItsCachedPair()
    {
        // torch.manual_seed(0); torch.randn(3) → 1.5410, -0.2934, -2.1788 (the second is the first pair's sine, cached).
        var values = new float[3];
        new TorchNoise(0).Fill(values);
        Assert.Equal(new[] { 1.5410, -0.2934, -2.1788 }, values.Select(v => Math.Round(v, 4)));
    }

    [Fact]
    public void SixteenOrMoreValuesTakeTheVectorisedBoxMuller()
    {
        // torch.randn(1, 4, 16, 16, generator=torch.Generator().manual_seed(0)) starts -1.1258, -1.1524, -0.2506, -0.4339.
        var values = new float[1024];
        new TorchNoise(0).Fill(values);
        Assert.Equal(new[] { -1.1258, -1.1524, -0.2506, -0.4339 }, values.Take(4).Select(v => Math.Round(v, 4)));
        Assert.InRange(values.Average(), -0.1, 0.1);
        Assert.InRange(Math.Sqrt(values.Average(v => v * v)), 0.9, 1.1);
    }

    [Fact]
    public void ASizeThatIsNotAMultipleOfSixteenRedrawsTheLastBlock()
    {
        var twenty = new float[20];
        new TorchNoise(5).Fill(twenty);
        var sixteen = new float[16];
        new TorchNoise(5).Fill(sixteen);
        // The first four values come from the first block of the same uniforms; the last sixteen from 16 fresh ones.
        Assert.Equal(sixteen.Take(4), twenty.Take(4));
        Assert.NotEqual(sixteen.Skip(4), twenty.Skip(4));
        Assert.All(twenty, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ScaleMultipliesInFloat()
    {
        var plain = new float[32];
        var scaled = new float[32];
        new TorchNoise(3).Fill(plain);
        new TorchNoise(3).Fill(scaled, 14.614647f);
        Assert.Equal(plain.Select(v => v * 14.614647f), scaled);
    }

    /// <summary>Every case's initial_latents.npy is torch.randn with the case's seed: reproduced bit for bit.</summary>
    [ReferenceFact]
    public void ReproducesEveryReferenceCasesInitialLatentsExactly()
    {
        int compared = 0;
        foreach (var folder in ReferenceCases.Folders())
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "case.json")));
            var expected = NpyArray.Read(Path.Combine(folder, "initial_latents.npy"));
            var actual = new float[expected.Values.Length];
            new TorchNoise(json.RootElement.GetProperty("seed").GetInt64()).Fill(actual);
            for (int i = 0; i < actual.Length; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(actual[i]) == BitConverter.SingleToInt32Bits(expected.Values[i]),
                    $"{Path.GetFileName(folder)} value {i}: torch {expected.Values[i]:R}, engine {actual[i]:R}");
            }
            compared += actual.Length;
        }
        Assert.Equal(15360, compared);
    }

    [Fact]
    public void FastNoiseStaysTheDefaultStream()
    {
        var viaFactory = new float[64];
        var direct = new float[64];
        NoiseSources.Create(NoiseKind.Fast, 9).Fill(viaFactory);
        new GaussianNoise(9).Fill(direct);
        Assert.Equal(direct, viaFactory);
        Assert.IsType<TorchNoise>(NoiseSources.Create(NoiseKind.Torch, 9));
    }

    [Fact]
    public void RecordedNoiseHandsOutTensorsInOrderAndSaysWhenItRunsOut()
    {
        var noise = new RecordedNoise(new[] { new float[] { 1, 2, 3, 4 }, new float[] { 5, 6, 7, 8 } }, offset: 2);
        var row = new float[2];
        noise.Fill(row);
        Assert.Equal(new float[] { 3, 4 }, row);
        noise.Fill(row, 2f);
        Assert.Equal(new float[] { 14, 16 }, row);
        Assert.Contains("only 2 noise tensors were recorded", Assert.Throws<HybridDiffusionException>(() => noise.Fill(row)).Message);
    }
}
