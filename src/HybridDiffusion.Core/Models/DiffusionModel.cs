using HybridDiffusion.Core.Text;

namespace HybridDiffusion.Core.Models;

/// <summary>
/// A loaded model folder: UNet and (own or shared) tokenizers, text encoders and VAE decoder, whose sessions come from
/// one session cache. A folder that ships only a UNet borrows the other components from the model given as
/// <c>shareFrom</c>, so each shared component has one session. The UNet, the large part, loads on first use and can be
/// released on its own (sequential memory mode) while the shared components stay. (The scheduler is read from the
/// folder without loading anything: <see cref="ModelPair.SchedulerOf"/>.)
/// </summary>
internal sealed class DiffusionModel : IDisposable
{
    private readonly List<IDisposable> _owned = new();
    private readonly SessionCache _sessions;
    private readonly SessionSettings _settings;
    private readonly IEngineLog _log;
    private UNetModel? _unet;

    private DiffusionModel(ModelFolder folder, SessionCache sessions, SessionSettings settings, IEngineLog log)
    {
        Folder = folder;
        _sessions = sessions;
        _settings = settings;
        _log = log;
    }

    public ModelFolder Folder { get; }

    public string Name => Folder.Name;

    /// <summary>The UNet, loaded now if it is not (again after <see cref="ReleaseUNet"/>).</summary>
    public UNetModel UNet => _unet ??= new UNetModel(_sessions.Acquire(Folder.UnetPath, _settings, _log), Folder.UnetPath);

    public bool IsUNetLoaded => _unet is not null;

    public required PromptEncoder Prompt { get; init; }

    public required VaeDecoder VaeDecoder { get; init; }

    public static DiffusionModel Load(ModelFolder folder, SessionCache sessions, SessionSettings settings, DiffusionModel? shareFrom, IEngineLog log)
    {
        var owned = new List<IDisposable>();
        try
        {
            var text = LoadPromptEncoder(folder, sessions, settings, shareFrom, owned, log);
            var vae = LoadVae(folder, sessions, settings, shareFrom, owned, log);
            var model = new DiffusionModel(folder, sessions, settings, log) { Prompt = text, VaeDecoder = vae };
            model._owned.AddRange(owned);
            return model;
        }
        catch
        {
            owned.ForEach(d => d.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Releases the UNet's session and drops it from the session cache, so its memory is returned before another model
    /// loads; the next use of <see cref="UNet"/> loads it again.
    /// </summary>
    public void ReleaseUNet()
    {
        if (_unet is null)
        {
            return;
        }
        var path = Path.GetFullPath(_unet.ModelPath);
        _unet.Dispose();
        _unet = null;
        _sessions.Clear(session => session.ModelPath == path);
    }

    public void Dispose()
    {
        _unet?.Dispose();
        _unet = null;
        foreach (var item in _owned)
        {
            item.Dispose();
        }
        _owned.Clear();
    }

    private static PromptEncoder LoadPromptEncoder(ModelFolder folder, SessionCache sessions, SessionSettings settings,
        DiffusionModel? shareFrom, List<IDisposable> owned, IEngineLog log)
    {
        if (folder.TextEncoderPath is null || folder.TokenizerDirectory is null)
        {
            var shared = shareFrom?.Prompt ?? throw Missing(folder, "text_encoder/model.onnx and tokenizer/");
            log.Verbose($"'{folder.Name}' has no text encoder of its own; sharing '{shareFrom.Name}''s.");
            return shared;
        }
        var first = Own(owned, new TextEncoder(sessions.Acquire(folder.TextEncoderPath, settings, log),
            ClipTokenizer.Load(folder.TokenizerDirectory), folder.TextEncoderPath));
        TextEncoder? second = null;
        if (folder.TextEncoder2Path is string path2)
        {
            var tokenizer2 = folder.Tokenizer2Directory ?? throw Missing(folder, "tokenizer_2/ (text_encoder_2 needs its tokenizer)");
            second = Own(owned, new TextEncoder(sessions.Acquire(path2, settings, log), ClipTokenizer.Load(tokenizer2), path2));
        }
        // diffusers' SDXL pipelines zero an empty negative prompt unless model_index.json says otherwise.
        return new PromptEncoder(first, second, folder.ReadForceZerosForEmptyPrompt() ?? second is not null);
    }

    private static VaeDecoder LoadVae(ModelFolder folder, SessionCache sessions, SessionSettings settings, DiffusionModel? shareFrom,
        List<IDisposable> owned, IEngineLog log)
    {
        if (folder.VaeDecoderPath is null)
        {
            var shared = shareFrom?.VaeDecoder ?? throw Missing(folder, "vae_decoder/model.onnx");
            log.Verbose($"'{folder.Name}' has no VAE decoder of its own; sharing '{shareFrom.Name}''s.");
            return shared;
        }
        return Own(owned, new VaeDecoder(sessions.Acquire(folder.VaeDecoderPath, settings, log), folder.ReadVaeScalingFactor(), folder.VaeDecoderPath));
    }

    private static T Own<T>(List<IDisposable> owned, T item) where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    internal static HybridDiffusionException Missing(ModelFolder folder, string what) => new(
        HybridErrorKind.InvalidModel,
        $"Model folder '{folder.FullPath}' has no {what}, and no base model to share it from. " +
        "A UNet-only (distilled) folder must be paired with a full base model folder.",
        folder.FullPath);
}
