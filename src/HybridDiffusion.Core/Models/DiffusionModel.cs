using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Scheduling;
using HybridDiffusion.Core.Text;

namespace HybridDiffusion.Core.Models;

/// <summary>
/// A loaded model folder: UNet, scheduler and (own or shared) tokenizers, text encoders and VAE decoder.
/// A folder that ships only a UNet borrows the other components from the model given as <c>shareFrom</c>, so each
/// shared component has one session. The UNet, the large part, loads on first use and can be released on its own
/// (sequential memory mode) while the shared components stay.
/// </summary>
public sealed class DiffusionModel : IDisposable
{
    private readonly List<IDisposable> _owned = new();
    private readonly SessionSettings _settings;
    private readonly IEngineLog _log;
    private UNetModel? _unet;

    private DiffusionModel(ModelFolder folder, SessionSettings settings, IEngineLog log)
    {
        Folder = folder;
        _settings = settings;
        _log = log;
    }

    public ModelFolder Folder { get; }

    public string Name => Folder.Name;

    /// <summary>The UNet, loaded now if it is not (again after <see cref="ReleaseUNet"/>).</summary>
    public UNetModel UNet => _unet ??= new UNetModel(SessionCache.Shared.Acquire(Folder.UnetPath, _settings, _log), Folder.UnetPath);

    public bool IsUNetLoaded => _unet is not null;

    public required PromptEncoder Prompt { get; init; }

    public required VaeDecoder VaeDecoder { get; init; }

    public required IDiffusionScheduler Scheduler { get; init; }

    public static DiffusionModel Load(ModelFolder folder, SessionSettings settings, DiffusionModel? shareFrom, IEngineLog log)
    {
        var owned = new List<IDisposable>();
        try
        {
            var text = LoadPromptEncoder(folder, settings, shareFrom, owned, log);
            var vae = LoadVae(folder, settings, shareFrom, owned, log);
            IDiffusionScheduler scheduler = folder.SchedulerConfigPath is string path
                ? SchedulerFactory.Create(SchedulerConfig.Load(path), log)
                : shareFrom?.Scheduler ?? throw Missing(folder, "scheduler/scheduler_config.json");
            var model = new DiffusionModel(folder, settings, log) { Prompt = text, VaeDecoder = vae, Scheduler = scheduler };
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
    /// Releases the UNet's session and drops it from the process-wide cache, so its memory is returned before another
    /// model loads; the next use of <see cref="UNet"/> loads it again.
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
        SessionCache.Shared.Clear(session => session.ModelPath == path);
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

    private static PromptEncoder LoadPromptEncoder(ModelFolder folder, SessionSettings settings,
        DiffusionModel? shareFrom, List<IDisposable> owned, IEngineLog log)
    {
        if (folder.TextEncoderPath is null || folder.TokenizerDirectory is null)
        {
            var shared = shareFrom?.Prompt ?? throw Missing(folder, "text_encoder/model.onnx and tokenizer/");
            log.Verbose($"'{folder.Name}' has no text encoder of its own; sharing '{shareFrom.Name}''s.");
            return shared;
        }
        var first = Own(owned, new TextEncoder(SessionCache.Shared.Acquire(folder.TextEncoderPath, settings, log),
            ClipTokenizer.Load(folder.TokenizerDirectory), folder.TextEncoderPath));
        TextEncoder? second = null;
        if (folder.TextEncoder2Path is string path2)
        {
            var tokenizer2 = folder.Tokenizer2Directory ?? throw Missing(folder, "tokenizer_2/ (text_encoder_2 needs its tokenizer)");
            second = Own(owned, new TextEncoder(SessionCache.Shared.Acquire(path2, settings, log), ClipTokenizer.Load(tokenizer2), path2));
        }
        // diffusers' SDXL pipelines zero an empty negative prompt unless model_index.json says otherwise.
        return new PromptEncoder(first, second, folder.ReadForceZerosForEmptyPrompt() ?? second is not null);
    }

    private static VaeDecoder LoadVae(ModelFolder folder, SessionSettings settings, DiffusionModel? shareFrom, List<IDisposable> owned, IEngineLog log)
    {
        if (folder.VaeDecoderPath is null)
        {
            var shared = shareFrom?.VaeDecoder ?? throw Missing(folder, "vae_decoder/model.onnx");
            log.Verbose($"'{folder.Name}' has no VAE decoder of its own; sharing '{shareFrom.Name}''s.");
            return shared;
        }
        return Own(owned, new VaeDecoder(SessionCache.Shared.Acquire(folder.VaeDecoderPath, settings, log), folder.ReadVaeScalingFactor(), folder.VaeDecoderPath));
    }

    private static T Own<T>(List<IDisposable> owned, T item) where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    private static HybridDiffusionException Missing(ModelFolder folder, string what) => new(
        HybridErrorKind.InvalidModel,
        $"Model folder '{folder.FullPath}' has no {what}, and no base model to share it from. " +
        "A UNet-only (distilled) folder must be paired with a full base model folder.",
        folder.FullPath);
}
