using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts.Adherence;
using HybridDiffusion.Contracts.Demo;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Text;

namespace HybridDiffusion.Demo;

/// <summary>
/// The demo pair's exact adherence measure. The demo's data are point masses at its scenes, so a finished demo image is
/// one scene's decode: the judge names the scene whose decode (by the installed VAE decoder) is nearest in RMS, or "none"
/// when even the nearest is not within half the distance from that scene to its own nearest other scene (then no scene
/// is clearly shown, and no two scenes can both qualify). The radius is each scene's own, so the clocks, whose hands
/// tell them apart by little, do not make the shapes' radius small too. The image is on its prompt when that scene is one the prompt asks for: among the
/// scenes with the highest word affinity, Σ over the prompt's tokens of the attributes they share with the scene, exactly
/// the sum the demo text encoder and UNet compute (each matching word adds <see cref="DemoWorld.WordAffinity"/> to a
/// scene's log-weight, which outweighs every prior difference). A prompt without steering words asks for every scene.
/// </summary>
public sealed class DemoAdherenceJudge : IAdherenceJudge
{
    /// <summary>What an image that shows no scene clearly is said to show.</summary>
    public const string NoScene = "none";

    private readonly UnitImage[] _decodes;
    private readonly ClipTokenizer _tokenizer;
    private readonly Dictionary<int, string> _attributeOfToken;

    private DemoAdherenceJudge(UnitImage[] decodes, ClipTokenizer tokenizer, Dictionary<int, string> attributeOfToken)
    {
        _decodes = decodes;
        _tokenizer = tokenizer;
        _attributeOfToken = attributeOfToken;
        MatchRadius = decodes.Select((decode, i) => decodes.Where((_, j) => j != i).Min(other => PixelDistance.Rms(decode, other)) / 2).ToArray();
    }

    public AdherenceMeasure Measure => AdherenceMeasure.DemoScene;

    /// <summary>Per scene, how near (RMS, in [0, 1] pixel units) an image must be to its decode to show it.</summary>
    public IReadOnlyList<double> MatchRadius { get; }

    /// <summary>Opens the judge on the installed demo pair (written first when needed): its tokenizer and VAE decoder.</summary>
    public static DemoAdherenceJudge Open(IEngineLog log) => Open(DemoModels.EnsureInstalled(log));

    /// <summary>Opens the judge on a demo pair written by <see cref="DemoModels.EnsureInstalled"/>.</summary>
    public static DemoAdherenceJudge Open(DemoModelPaths paths)
    {
        var tokenizer = ClipTokenizer.Load(Path.Combine(paths.BaseModel, "tokenizer"));
        var attributeOfToken = DemoWorld.Words.ToDictionary(w => tokenizer.Tokenize(w.Key).Single(), w => w.Value);
        return new DemoAdherenceJudge(Decode(Path.Combine(paths.BaseModel, "vae_decoder", "model.onnx")), tokenizer, attributeOfToken);
    }

    /// <summary>The scene an image shows ("small red circle"), or <see cref="NoScene"/>.</summary>
    public string SceneOf(RgbImage image) => ShownScene(image) is int scene ? DemoWorld.Scenes[scene].ToString() : NoScene;

    /// <summary>The scenes a prompt asks for, by name.</summary>
    public IReadOnlyList<string> ScenesAskedFor(string prompt) => AskedFor(prompt).Select(i => DemoWorld.Scenes[i].ToString()).ToList();

    public IReadOnlyList<AdherenceJudgement> Judge(IReadOnlyList<RgbImage> images, IReadOnlyList<string> prompts, CancellationToken cancellation)
    {
        var asked = prompts.Distinct(StringComparer.Ordinal).ToDictionary(p => p, p => AskedFor(p).ToHashSet(), StringComparer.Ordinal);
        var result = new AdherenceJudgement[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var scene = ShownScene(images[i]);
            result[i] = new AdherenceJudgement(scene is int s && asked[prompts[i]].Contains(s) ? 1 : 0,
                scene is int shown ? DemoWorld.Scenes[shown].ToString() : NoScene);
        }
        return result;
    }

    public void Dispose()
    {
        // Holds no native resource: the decoder session is closed once the scene decodes are made.
    }

    private int? ShownScene(RgbImage image)
    {
        var picture = UnitImage.From(image);
        var reference = _decodes[0];
        if (picture.Width != reference.Width || picture.Height != reference.Height)
        {
            picture = ImageResampler.Resize(picture, reference.Width, reference.Height, ResizeFilter.Bilinear);
        }
        var distances = _decodes.Select(d => PixelDistance.Rms(picture, d)).ToArray();
        int nearest = Array.IndexOf(distances, distances.Min());
        return distances[nearest] < MatchRadius[nearest] ? nearest : null;
    }

    private IEnumerable<int> AskedFor(string prompt)
    {
        // The encoder sums every token's attribute features over all 77 positions; the UNet adds WordAffinity per shared attribute.
        var counts = _tokenizer.Encode(prompt).Where(_attributeOfToken.ContainsKey).GroupBy(id => _attributeOfToken[id]).ToDictionary(g => g.Key, g => g.Count());
        var affinity = DemoWorld.Scenes.Select(s => s.Attributes.Sum(a => counts.GetValueOrDefault(a))).ToArray();
        int best = affinity.Max();
        return Enumerable.Range(0, affinity.Length).Where(i => affinity[i] == best);
    }

    /// <summary>Each scene's latent through the demo VAE decoder: the picture a demo image of that scene is.</summary>
    private static UnitImage[] Decode(string decoderPath)
    {
        // Scene latents are diffusion latents; the decoder takes them divided by the VAE's scaling factor, as the engine does.
        var latents = DemoWorld.Scenes.SelectMany(DemoRaster.SceneLatent).Select(v => (float)(v / DemoWorld.VaeScalingFactor)).ToArray();
        int n = DemoWorld.LatentSize;
        using var session = new InferenceSession(decoderPath);
        using var input = OrtValue.CreateTensorValueFromMemory(latents, new long[] { DemoWorld.Scenes.Count, DemoWorld.LatentChannels, n, n });
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, new[] { "latent_sample" }, new[] { input }, new[] { "sample" });
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        int height = (int)shape[2], width = (int)shape[3], plane = 3 * height * width;
        var pixels = outputs[0].GetTensorDataAsSpan<float>();
        var decodes = new UnitImage[DemoWorld.Scenes.Count];
        for (int i = 0; i < decodes.Length; i++)
        {
            decodes[i] = UnitImage.From(RgbImage.FromPlanarSigned(pixels.Slice(i * plane, plane), width, height));
        }
        return decodes;
    }
}
