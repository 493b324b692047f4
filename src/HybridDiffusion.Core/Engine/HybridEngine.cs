using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Core.Engine;

/// <summary>
/// The core's public face: an engine instance owns the ONNX Runtime sessions it loads (its <see cref="Sessions"/>,
/// which also remember for it that the CUDA provider failed) and the log that hears about work done without an
/// observer. Every generation runs on an instance, and the analysis layer takes the instance it runs on. Disposing the
/// engine releases every session (one still in use when the run using it ends), as disposing ONNX Runtime's own
/// objects does; nothing outlives it and nothing is shared with another engine.
/// </summary>
/// <remarks>
/// A face decides how long an engine lives: the CLI makes one per run of the process, the PowerShell module one for
/// the whole PowerShell process (see HybridDiffusion.PowerShell's SharedEngine). Sessions are thread-safe, so one
/// engine may serve several commands at once.
/// </remarks>
public sealed class HybridEngine : IDisposable
{
    private readonly DefaultModelPair? _defaultModels;

    /// <param name="log">Hears the messages of calls that pass no observer of their own; by default nothing does.</param>
    /// <param name="defaultModels">What a request that names neither model runs on; without it such a request is refused.</param>
    public HybridEngine(IEngineLog? log = null, DefaultModelPair? defaultModels = null)
    {
        Log = log ?? NullEngineLog.Instance;
        _defaultModels = defaultModels;
    }

    /// <summary>The sessions this engine has loaded: list them, clear them, or lease one (the analysis layer's models).</summary>
    public SessionCache Sessions { get; } = new();

    /// <summary>The transition points --base-steps auto chose, per prompt and model pair (bounded; nothing shared with another engine).</summary>
    internal TransitionChoices Transitions { get; } = new();

    /// <summary>Where calls without an observer report (models loaded, providers chosen, warnings).</summary>
    public IEngineLog Log { get; }

    /// <summary>
    /// The call behind New-HybridImage and `hybrid new-image`: validates the request at once, then yields images (prompt
    /// by prompt, mode by mode, seed by seed) as they are made, writing each PNG when the request names a folder.
    /// </summary>
    /// <param name="observer">Hears progress and messages and confirms each file; null reports messages to <see cref="Log"/>.</param>
    public IEnumerable<GeneratedImage> Generate(GenerationRequest request, IGenerationObserver? observer = null, CancellationToken cancellation = default) =>
        Generate(request, new SessionSettings(request.Provider, IntraOpThreads: request.ThreadCount), observer, cancellation);

    /// <param name="sessionSettings">How the sessions are made: tests ask for more than a request can (bind-time copies).</param>
    internal IEnumerable<GeneratedImage> Generate(GenerationRequest request, SessionSettings sessionSettings, IGenerationObserver? observer = null,
        CancellationToken cancellation = default) =>
        HybridGenerator.Generate(Sessions, Transitions, _defaultModels, request, sessionSettings, observer ?? new LogOnlyObserver(Log), cancellation);

    /// <summary>
    /// Makes every check <see cref="Generate(GenerationRequest, IGenerationObserver?, CancellationToken)"/> makes before
    /// its first image, the plans on the models' schedulers included, without loading a model or writing anything: a
    /// caller that runs many requests (a study's settings) refuses a bad one before it makes any image.
    /// </summary>
    public void Check(GenerationRequest request, IGenerationObserver? observer = null) =>
        HybridGenerator.Check(Sessions, _defaultModels, request, observer ?? new LogOnlyObserver(Log));

    /// <summary>
    /// Decodes diffusion latents [channels, height, width], all of one size, with a model folder's VAE decoder (its
    /// scaling factor applied, as at the end of a generation): the pictures of known latents, such as the demo pair's
    /// true scenes.
    /// </summary>
    public IReadOnlyList<RgbImage> Decode(string modelFolder, IReadOnlyList<float[]> latents, int channels, int latentHeight, int latentWidth,
        ExecutionProvider provider = ExecutionProvider.Auto)
    {
        var folder = ModelFolder.Open(modelFolder, "BaseModel");
        var path = folder.VaeDecoderPath ?? throw DiffusionModel.Missing(folder, "vae_decoder/model.onnx");
        using var decoder = new VaeDecoder(Sessions.Acquire(path, new SessionSettings(provider), Log), folder.ReadVaeScalingFactor(), path);
        using var runOptions = new RunOptions();
        return decoder.Decode(latents, channels, latentHeight, latentWidth, runOptions);
    }

    /// <summary>The folders of the default pair (writing them first when that is how the pair is made); refused without one.</summary>
    public (string BaseModel, string DistilledModel) DefaultModels() => HybridGenerator.DefaultFolders(_defaultModels, Log);

    public void Dispose() => Sessions.Dispose();
}
