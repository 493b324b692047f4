using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Demo;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Output;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Demo;

/// <summary>
/// The built-in demo model pair, written deterministically in the diffusers ONNX layout into a per-user cache
/// folder on first use, checked against its manifest of SHA-256 hashes on every use, and rewritten when damaged.
/// Nothing is remembered in the process: the files on disk are the only state, and the lock file beside them
/// serialises writers, whether threads of one process or several processes.
/// </summary>
public static partial class DemoModels
{
    /// <summary>Bump when the generated models change, so old caches are not reused.</summary>
    public const int Version = 9;

    /// <summary>Environment variable that moves the per-user cache (tests and CI use it).</summary>
    public const string HomeVariable = "HYBRIDDIFFUSION_HOME";

    // Distilled prior sharpening: γ reaches γmax well above t_c and fades to 1 well below it.
    internal const float DistilledGammaMax = 20000f;
    internal const float GammaCentre = 900f;
    internal const float GammaWidth = 15f;

    // The clock's hand is told apart later than the shapes' scenes (the base model settles on a time between t = 759 and
    // t = 499 of a 4-step schedule), so the distilled model's sharpening lasts to there: one base step is not enough for it.
    internal const float ClockGammaCentre = 630f;

    // How much more the distilled model weighs the evidence in x_t than the exact posterior does.
    internal const float DistilledEvidenceGain = 64f;

    // How emphatically the distilled model's x̂0 states the scene it chose (the gain of its code channel): enough that the
    // fresh noise LCM adds for t = 759 never moves the next step off it.
    internal const float DistilledCodeEmphasis = 2000f;

    private const string ManifestName = "manifest.json";

    // The largest file the demo writer makes is a few hundred KB.
    private const long MaxDemoFileBytes = 16L << 20;

    public static string DefaultRoot => Path.Combine(CacheHome(), $"demo-v{Version}");

    /// <summary>
    /// The faces' default model pair (a <see cref="DefaultModelPair"/> for their engine): the demo pair's folders,
    /// written first when needed. The engine asks for it only when a request that names no model makes an image.
    /// </summary>
    public static (string BaseModel, string DistilledModel) DefaultPair(IEngineLog log)
    {
        var demo = EnsureInstalled(log);
        return (demo.BaseModel, demo.DistilledModel);
    }

    /// <summary>Returns the demo pair's folders, writing or repairing them first when needed.</summary>
    /// <remarks>
    /// A sound pair costs a hash of its files per call (about 400 KB: under a millisecond), so a damaged or replaced
    /// file is caught at its next use.
    /// </remarks>
    public static DemoModelPaths EnsureInstalled(IEngineLog? log = null, string? root = null)
    {
        root = Path.GetFullPath(root ?? DefaultRoot);
        // Scratch folders of writers that were killed (see TempNames); a read-only cache folder keeps them.
        TempNames.SweepStale(Path.GetDirectoryName(root)!, log);
        // A sound cache is only read, so a read-only or foreign-owned one works; the lock is taken only to write.
        if (!Verify(root))
        {
            CheckWritable(root);
            using (AcquireFileLock(root))
            {
                if (!Verify(root))
                {
                    (log ?? NullEngineLog.Instance).Verbose($"Writing the demo model pair to '{root}'.");
                    Write(root);
                }
            }
        }
        return new DemoModelPaths(Path.Combine(root, "base"), Path.Combine(root, "distilled"), Path.Combine(root, "embedding", "model.onnx"),
            Path.Combine(root, "sliders", "warmth.safetensors"));
    }

    private static void CheckWritable(string root)
    {
        try
        {
            OutputDestination.PrepareFolder(Path.GetDirectoryName(root)!, SettingId.DemoCache, "the demo model cache folder");
        }
        catch (HybridDiffusionException ex)
        {
            throw new HybridDiffusionException(HybridErrorKind.IOFailure,
                $"The demo model pair at '{root}' is missing or damaged and cannot be written: {ex.Message} Set {HomeVariable} to a writable folder.", root, ex);
        }
    }

    /// <summary>Writes the pair into a scratch folder, then swaps it into place with its manifest.</summary>
    internal static void Write(string root)
    {
        using var entry = TempEntry.Claim(root, isFolder: true);
        var scratch = entry.Path;
        WriteModels(scratch);
        var manifest = Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(scratch, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => f, f => Hash(Path.Combine(scratch, f)));
        File.WriteAllText(Path.Combine(scratch, ManifestName), JsonSerializer.Serialize(new { version = Version, files = manifest }));
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
        Directory.Move(scratch, root);
    }

    internal static bool Verify(string root)
    {
        var manifestPath = Path.Combine(root, ManifestName);
        if (!File.Exists(manifestPath))
        {
            return false;
        }
        // A manifest that is damaged, or names anything but this writer's own files, marks the cache for rewriting: it
        // never makes a run open (or hash) a file outside the cache, a device or a link.
        try
        {
            var manifest = BoundedJson.ReadObject(manifestPath, "Demo cache manifest", InputLimits.JsonConfigBytes, HybridErrorKind.IOFailure);
            if (BoundedJson.Int(manifest, "version", 0, int.MaxValue, manifestPath, HybridErrorKind.IOFailure) != Version
                || BoundedJson.Object(manifest, "files", manifestPath, HybridErrorKind.IOFailure) is not { Count: > 0 } files)
            {
                return false;
            }
            foreach (var (name, hash) in files)
            {
                var path = Path.Combine(root, name);
                if (!ManifestEntry().IsMatch(name) || new FileInfo(path).LinkTarget is not null
                    || InputFile.Check(path, "Demo model file", MaxDemoFileBytes, HybridErrorKind.IOFailure) <= 0
                    || Hash(path) != BoundedJson.String(files, name, manifestPath, HybridErrorKind.IOFailure))
                {
                    return false;
                }
            }
            return true;
        }
        catch (Exception ex) when (ex is HybridDiffusionException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void WriteModels(string root)
    {
        var vocabulary = DemoVocabulary.Build(DemoWorld.Words.Keys.Concat(DemoWorld.CommonWords));
        var attributes = DemoWorld.AttributeNames;
        int dim = attributes.Count;
        var scenes = DemoWorld.Scenes;

        // Token features: each steering word's token carries its attribute; all other tokens carry nothing.
        var table = new float[vocabulary.Vocab.Count * dim];
        foreach (var (word, attribute) in DemoWorld.Words)
        {
            table[vocabulary.IdOf(word) * dim + attributes.ToList().IndexOf(attribute)] = 1f;
        }
        var affinity = new float[dim * scenes.Count];
        for (int d = 0; d < dim; d++)
        {
            for (int i = 0; i < scenes.Count; i++)
            {
                affinity[d * scenes.Count + i] = scenes[i].Attributes.Contains(attributes[d]) ? DemoWorld.WordAffinity : 0f;
            }
        }
        var latents = scenes.SelectMany(DemoRaster.SceneLatent).ToArray();
        var logPrior = scenes.Select(s => (float)Math.Log(s.Prior)).ToArray();
        var centreShift = attributes.Select(a => a == DemoWorld.Clock ? ClockGammaCentre - GammaCentre : 0f).ToArray();

        // A linear β schedule (DDPM's shape, to 0.03): the noise falls slowly through the first fifth of the steps (where
        // the base model is still undecided) and fast after, so the scenes are told apart at t = 499 but not at t = 801. ᾱ reaches 1 at
        // the end, so the base model's last image is its x̂0 with no noise left in it, like the distilled model's.
        var baseScheduler = new SchedulerConfig
        {
            ClassName = "DDIMScheduler", BetaStart = 0.0001, BetaEnd = 0.03, BetaSchedule = "linear",
            TimestepSpacing = "leading", StepsOffset = 1, SetAlphaToOne = true, ClipSample = false,
        };
        var distilledScheduler = baseScheduler with { ClassName = "LCMScheduler", OriginalInferenceSteps = 50, TimestepScaling = 10.0 };
        var noise = new NoiseSchedule(baseScheduler);

        var basePath = Path.Combine(root, "base");
        WriteFile(basePath, "model_index.json", ModelIndex("hybrid-demo-base", withTextAndVae: true));
        WriteFile(basePath, "scheduler/scheduler_config.json", baseScheduler.ToJson());
        vocabulary.WriteTo(Path.Combine(basePath, "tokenizer"));
        WriteFile(basePath, "text_encoder/model.onnx", DemoGraphs.TextEncoder(table, vocabulary.Vocab.Count, dim));
        WriteFile(basePath, "text_encoder/config.json", $"{{\n  \"hidden_size\": {dim},\n  \"max_position_embeddings\": 77\n}}\n");
        WriteFile(basePath, "unet/model.onnx", DemoGraphs.UNet(noise, latents, logPrior, affinity, dim, 1f, GammaCentre, GammaWidth, centreShift, evidenceGain: 1f, codeEmphasis: 1f));
        WriteFile(basePath, "unet/config.json", UNetConfig(dim));
        WriteFile(basePath, "vae_decoder/model.onnx", DemoGraphs.VaeDecoder());
        WriteFile(basePath, "vae_decoder/config.json",
            $"{{\n  \"latent_channels\": {DemoWorld.LatentChannels},\n  \"scaling_factor\": {DemoWorld.VaeScalingFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n}}\n");

        // The distilled model ships only a UNet and a scheduler, like DMD2: it shares the base's text encoder and VAE.
        var distilledPath = Path.Combine(root, "distilled");
        WriteFile(distilledPath, "model_index.json", ModelIndex("hybrid-demo-distilled", withTextAndVae: false));
        WriteFile(distilledPath, "scheduler/scheduler_config.json", distilledScheduler.ToJson());
        WriteFile(distilledPath, "unet/model.onnx",
            DemoGraphs.UNet(noise, latents, logPrior, affinity, dim, DistilledGammaMax, GammaCentre, GammaWidth, centreShift, DistilledEvidenceGain, DistilledCodeEmphasis));
        WriteFile(distilledPath, "unet/config.json", UNetConfig(dim));

        WriteFile(root, "embedding/model.onnx", DemoEmbedding.Build());
        WriteFile(root, "sliders/warmth.safetensors", DemoSlider.Warmth());
    }

    private static string ModelIndex(string name, bool withTextAndVae)
    {
        var components = new List<string> { "\"scheduler\": [\"diffusers\", \"" + (withTextAndVae ? "DDIMScheduler" : "LCMScheduler") + "\"]", "\"unet\": [\"diffusers\", \"OnnxRuntimeModel\"]" };
        if (withTextAndVae)
        {
            components.Add("\"text_encoder\": [\"diffusers\", \"OnnxRuntimeModel\"]");
            components.Add("\"tokenizer\": [\"transformers\", \"CLIPTokenizer\"]");
            components.Add("\"vae_decoder\": [\"diffusers\", \"OnnxRuntimeModel\"]");
        }
        return "{\n  \"_class_name\": \"OnnxStableDiffusionPipeline\",\n  \"_name_or_path\": \"" + name + "\",\n  " +
            string.Join(",\n  ", components) + "\n}\n";
    }

    private static string UNetConfig(int dim) =>
        $"{{\n  \"in_channels\": {DemoWorld.LatentChannels},\n  \"out_channels\": {DemoWorld.LatentChannels},\n" +
        $"  \"sample_size\": {DemoWorld.LatentSize},\n  \"cross_attention_dim\": {dim}\n}}\n";

    private static void WriteFile(string root, string relative, string text) => WriteFile(root, relative, Encoding.UTF8.GetBytes(text));

    private static void WriteFile(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static string CacheHome()
    {
        var overridden = Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return overridden;
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!OperatingSystem.IsWindows())
        {
            return Path.Combine(string.IsNullOrWhiteSpace(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg, "hybrid-diffusion");
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "HybridDiffusion");
    }

    // Another process may be writing the same cache: wait for its lock rather than writing over it.
    private static FileStream AcquireFileLock(string root)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(root)!);
        var lockPath = root + ".lock";
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && !Directory.Exists(lockPath))
            {
                Thread.Sleep(100);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new HybridDiffusionException(HybridErrorKind.IOFailure,
                    $"The demo model cache '{root}' needs writing, but its lock '{lockPath}' cannot be taken ({ex.Message}). " +
                    $"If no other hybrid process is writing it, delete the lock, or set {HomeVariable} to another folder.", lockPath, ex);
            }
        }
    }

    // What the writer lists: relative names of lower-case words, '/'-separated; never absolute, never "..".
    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9_\-]+(?:\.[a-z0-9]+)*(?:/[a-z0-9_\-]+(?:\.[a-z0-9]+)*)*$")]
    private static partial System.Text.RegularExpressions.Regex ManifestEntry();
}
