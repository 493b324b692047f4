using Xunit.Abstractions;
using HybridDiffusion.Analysis.Sliders;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Sliders;
using HybridDiffusion.Demo;
using HybridDiffusion.Tests.Core.Sampling;

namespace HybridDiffusion.Tests.Analysis.Sliders;

/// <summary>The paper's second finding on the demo pair: a base-trained slider moves base and distilled images alike.</summary>
public sealed class SliderTests
{
    private static readonly long[] Seeds = Enumerable.Range(300, 8).Select(i => (long)i).ToArray();

    // The demo's distilled model gives one picture per prompt; the figures cover one prompt per shape and size.
    private static readonly string[] Prompts = HybridDiffusion.Demo.DemoWorld.Shapes
        .SelectMany(shape => HybridDiffusion.Demo.DemoWorld.Sizes.Select(size => $"a {size.Name} {shape}")).ToArray();
    private readonly ITestOutputHelper _output;

    public SliderTests(ITestOutputHelper output) => _output = output;

    private static SliderSpec Warmth(float strength, int? start = null) => new(DemoPair.Paths.WarmthSlider, strength, SliderTarget.Both, start);

    private static List<GeneratedImage> Generate(GenerationMode mode, params SliderSpec[] sliders) =>
        TestEngine.Shared.Generate(DemoPair.Request("a square", mode, Seeds) with { Prompts = Prompts, Sliders = sliders }).ToList();

    // Mean red minus blue over all pixels, in [−1, 1]: positive is warm.
    private static double Warmth(IEnumerable<GeneratedImage> images) => images.Average(i =>
    {
        var p = i.Image.Pixels;
        double sum = 0;
        for (int k = 0; k < p.Length; k += 3)
        {
            sum += p[k] - p[k + 2];
        }
        return sum / (p.Length / 3) / 255.0;
    });

    // Mean absolute change of the green channel between two runs over the same seeds, in [0, 1].
    private static double GreenMove(IReadOnlyList<GeneratedImage> from, IReadOnlyList<GeneratedImage> to) => from.Zip(to).Average(p =>
    {
        var (a, b) = (p.First.Image.Pixels, p.Second.Image.Pixels);
        double sum = 0;
        for (int k = 1; k < a.Length; k += 3)
        {
            sum += Math.Abs(a[k] - b[k]);
        }
        return sum / (a.Length / 3) / 255.0;
    });

    [Theory]
    [InlineData(GenerationMode.Base)]
    [InlineData(GenerationMode.Distilled)]
    [InlineData(GenerationMode.Hybrid)]
    public void TheWarmthSliderMovesImagesInOppositeDirectionsAtPlusAndMinusStrength(GenerationMode mode)
    {
        double neutral = Warmth(Generate(mode)), warm = Warmth(Generate(mode, Warmth(2))), cool = Warmth(Generate(mode, Warmth(-2)));
        _output.WriteLine($"{mode}: warmth at −2 {cool:F4}, 0 {neutral:F4}, +2 {warm:F4}");
        Assert.True(warm > neutral + 0.01, $"{mode}: +2 should warm the images ({warm:F4} vs {neutral:F4})");
        Assert.True(cool < neutral - 0.01, $"{mode}: −2 should cool the images ({cool:F4} vs {neutral:F4})");
    }

    [Fact]
    public void StrengthZeroGivesByteIdenticalImagesToNoSlider()
    {
        var plain = Generate(GenerationMode.Hybrid);
        var zero = Generate(GenerationMode.Hybrid, Warmth(0));
        Assert.All(plain.Zip(zero), p => Assert.Equal(p.First.Image.Pixels, p.Second.Image.Pixels));
        Assert.Equal("", zero[0].Sliders);
    }

    [Fact]
    public void SlidersAreRecordedCachedAsVariantsAndCanStartLate()
    {
        var full = Generate(GenerationMode.Distilled, Warmth(3));
        var late = Generate(GenerationMode.Distilled, Warmth(3, start: 600));
        Assert.Equal("warmth.safetensors@3", full[0].Sliders);
        Assert.Contains(("Sliders", "warmth.safetensors@3"), full[0].Metadata().Select(kv => (kv.Key, kv.Value)));
        // Applied only from t ≤ 600, after the distilled model has committed to its scenes at t = 999: it tints them but
        // picks no other, so the green channel (which the tint leaves alone) hardly moves, while from the start it does.
        var neutral = Generate(GenerationMode.Distilled);
        double lateMove = GreenMove(neutral, late), fullMove = GreenMove(neutral, full);
        _output.WriteLine($"green moves {lateMove:F4} started at t = 600, {fullMove:F4} from the start");
        Assert.True(lateMove < fullMove / 3, $"green moves {lateMove:F4} when started late, {fullMove:F4} from the start");
        Assert.True(Math.Abs(Warmth(late) - Warmth(neutral)) > 0.01, "a late start still tints the pictures");
        Assert.Contains(TestEngine.Shared.Sessions.List(), s => s.Variant is string v && v.Contains("warmth.safetensors") && v.EndsWith("@3", StringComparison.Ordinal));
    }

    [Fact]
    public void SlidersComposeByAddingTheirUpdates()
    {
        var once = Generate(GenerationMode.Distilled, Warmth(2));
        var twice = Generate(GenerationMode.Distilled, Warmth(1), Warmth(1));
        Assert.Equal("warmth.safetensors@1, warmth.safetensors@1", twice[0].Sliders);
        // W + Δ + Δ and W + 2Δ differ only by float rounding.
        Assert.All(once.Zip(twice), p => Assert.True(p.First.Image.Pixels.Zip(p.Second.Image.Pixels).Max(q => Math.Abs(q.First - q.Second)) <= 1));
    }

    [Fact]
    public void HalfAndBfloat16TensorsDecode()
    {
        // A hand-written file: F16 [1.5, -2] then BF16 [0.75] (the upper half of float32 0.75 = 0x3F40).
        var header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
        var json = System.Text.Encoding.UTF8.GetBytes(header);
        var bytes = BitConverter.GetBytes((ulong)json.Length).Concat(json)
            .Concat(BitConverter.GetBytes((Half)1.5f)).Concat(BitConverter.GetBytes((Half)(-2f))).Concat(new byte[] { 0x40, 0x3F }).ToArray();
        var tensors = SafeTensors.Parse(bytes, "inline");
        Assert.Equal(new[] { 1.5f, -2f }, tensors["a"].Values);
        Assert.Equal(new[] { 0.75f }, tensors["b"].Values);
    }

    [Fact]
    public void TransferIsMeasuredSideBySide()
    {
        var rows = SliderTransfer.Measure(TestEngine.Shared, new SliderTransferRequest
        {
            Generation = DemoPair.Request("a square", GenerationMode.Hybrid, Seeds) with { Prompts = Prompts },
            SliderPath = DemoPair.Paths.WarmthSlider,
            Strengths = new[] { -2f, 2f },
        });
        foreach (var row in rows)
        {
            _output.WriteLine($"strength {row.Strength:+0;-0}: base moves {row.BaseDistance:F4}, distilled {row.DistilledDistance:F4} (ratio {row.Ratio:F2})");
            Assert.True(row.BaseDistance > 0.01 && row.DistilledDistance > 0.01, "both models should move");
        }
        Assert.Equal(new[] { -2f, 2f }, rows.Select(r => r.Strength));
    }

    [Fact]
    public void PeftKeysMergeLikeKohyaKeys()
    {
        using var folder = new TempFolder();
        var kohya = SafeTensors.Read(DemoPair.Paths.WarmthSlider);
        var peft = folder["warmth-peft.safetensors"];
        // Every module of the kohya file (lora_unet_<module>.lora_down/up) as PEFT keys (unet.<module>.lora_A/B).
        File.WriteAllBytes(peft, SafeTensors.Write(kohya.Values.Where(t => !t.Name.EndsWith(".alpha", StringComparison.Ordinal)).Select(t =>
            (t.Name.Replace("lora_unet_", "unet.", StringComparison.Ordinal).Replace(".lora_down.", ".lora_A.", StringComparison.Ordinal)
                .Replace(".lora_up.", ".lora_B.", StringComparison.Ordinal), t.Shape.ToArray(), t.Values))));
        // PEFT files carry no alpha: alpha = rank = 1, the same scale as the kohya file's alpha 1.
        var a = Generate(GenerationMode.Base, Warmth(2));
        var b = Generate(GenerationMode.Base, new SliderSpec(peft, 2));
        Assert.All(a.Zip(b), p => Assert.Equal(p.First.Image.Pixels, p.Second.Image.Pixels));
    }

    [Fact]
    public void BadSliderFilesAndStrengthsAreClearErrors()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder["notes.safetensors"], "this is not a tensor file at all");
        var bytes = File.ReadAllBytes(DemoPair.Paths.WarmthSlider);
        File.WriteAllBytes(folder["truncated.safetensors"], bytes[..(bytes.Length - 20)]);
        File.WriteAllBytes(folder["sd15.safetensors"], SafeTensors.Write(new[]
        {
            ("lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q.lora_down.weight", new long[] { 4, 320 }, new float[4 * 320]),
            ("lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q.lora_up.weight", new long[] { 320, 4 }, new float[320 * 4]),
            ("lora_unet_mid_block_attentions_0_proj_in.lora_down.weight", new long[] { 4, 1280 }, new float[4 * 1280]),
            ("lora_unet_mid_block_attentions_0_proj_in.lora_up.weight", new long[] { 1280, 4 }, new float[1280 * 4]),
        }));
        HybridDiffusionException Fails(SliderSpec slider) =>
            Assert.ThrowsAny<HybridDiffusionException>(() => Generate(GenerationMode.Base, slider));

        var notSafetensors = Fails(new SliderSpec(folder["notes.safetensors"], 1));
        Assert.Contains("notes.safetensors", notSafetensors.Message);
        Assert.Contains("not a safetensors file", notSafetensors.Message);
        Assert.Contains("truncated", Fails(new SliderSpec(folder["truncated.safetensors"], 1)).Message);
        var other = Fails(new SliderSpec(folder["sd15.safetensors"], 1));
        Assert.Contains("lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q.lora_down.weight", other.Message);
        Assert.Contains("another architecture", other.Message);
        foreach (var strength in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(DemoPair.Request("a square", GenerationMode.Base, Seeds) with { Sliders = new[] { Warmth(strength) } }));
            Assert.Equal(SettingId.SliderStrength, ex.Setting);
            Assert.Contains("finite", ex.Message);
        }
        var missing = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(DemoPair.Request("a square", GenerationMode.Base, Seeds) with { Sliders = new[] { new SliderSpec(folder["missing.safetensors"], 1) } }));
        Assert.Equal(HybridErrorKind.ModelNotFound, missing.Kind);
    }

    [Fact]
    public void StrictFailsOnKeysThatMatchNothingOtherwiseTheyAreSkippedWithAWarning()
    {
        using var folder = new TempFolder();
        var kohya = SafeTensors.Read(DemoPair.Paths.WarmthSlider);
        var mixed = folder["mixed.safetensors"];
        File.WriteAllBytes(mixed, SafeTensors.Write(kohya.Values.Select(t => (t.Name, t.Shape.ToArray(), t.Values))
            .Append(("lora_te_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", new long[] { 1, 4 }, new float[4]))
            .Append(("lora_te_text_model_encoder_layers_0_mlp_fc1.lora_up.weight", new long[] { 4, 1 }, new float[4]))));
        var observer = new RecordingObserver(_ => { });
        var images = TestEngine.Shared.Generate(DemoPair.Request(Prompts[0], GenerationMode.Base, Seeds.Take(2)) with { Sliders = new[] { new SliderSpec(mixed, 2) } }, observer).ToList();
        Assert.Contains(observer.Warnings, w => w.Contains("lora_te_text_model_encoder_layers_0_mlp_fc1"));
        Assert.Equal(Generate(GenerationMode.Base, Warmth(2)).Take(2).Select(i => i.Image.Pixels), images.Select(i => i.Image.Pixels));
        var strict = Assert.ThrowsAny<HybridDiffusionException>(() => TestEngine.Shared.Generate(DemoPair.Request("a square", GenerationMode.Base, Seeds.Take(2)) with
        {
            Sliders = new[] { new SliderSpec(mixed, 2) },
            StrictSliders = true,
        }).ToList());
        Assert.Contains("strict slider matching", strict.Message);
        Assert.DoesNotContain("-Strict", strict.Message);
    }
}
