using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Imaging;
using HybridDiffusion.Models;
using HybridDiffusion.Scheduling;

namespace HybridDiffusion.Sampling;

/// <summary>
/// Per-request state reused from image to image: UNet bindings per (model, batch), the denoising buffers and the
/// prompt embeddings (each distinct prompt is encoded once per text encoder).
/// </summary>
internal sealed class GenerationSession : IDisposable
{
    private readonly ModelPair _models;
    private readonly int _latentHeight;
    private readonly int _latentWidth;
    private readonly Dictionary<(ModelRole, int), UNetBinding> _bindings = new();
    private readonly Dictionary<(TextEncoder, string), TextEmbedding> _embeddings = new();
    private readonly Dictionary<int, DenoisingLoop> _loops = new();

    public GenerationSession(ModelPair models, int latentHeight, int latentWidth)
    {
        _models = models;
        _latentHeight = latentHeight;
        _latentWidth = latentWidth;
    }

    /// <param name="trajectoryEvery">Keep and decode x̂0 of every Nth step (null: no trajectory).</param>
    public GeneratedImage Generate(SamplingPlan plan, GenerationMode mode, string prompt, GenerationSettings settings, long seed,
        RunOptions runOptions, StepCallback onStep, int? trajectoryEvery, CancellationToken cancellation)
    {
        long start = Stopwatch.GetTimestamp();
        var unetBefore = TotalUNetTime();
        var outputModel = _models[plan.Segments[^1].Model];
        int channels = outputModel.UNet.LatentChannels;
        var latent = new float[channels * _latentHeight * _latentWidth];
        var noise = new GaussianNoise(seed);
        var first = plan.Segments[0];
        noise.Fill(latent, plan.SchedulerOf(first).InitNoiseSigma(first.Steps[0].Timestep));

        // Conditioning first, so the denoising time below is the loop alone.
        var bindings = plan.Segments.Select(s => s.Model).Distinct()
            .SelectMany(role => plan.Segments.Where(s => s.Model == role).Select(s => (role, s.Guidance > 1)).Distinct())
            .ToDictionary(k => k, k => Bind(k.role, k.Item2, prompt, settings.NegativePrompt, runOptions));
        if (!_loops.TryGetValue(latent.Length, out var loop))
        {
            _loops[latent.Length] = loop = new DenoisingLoop(latent.Length);
        }

        var recorder = trajectoryEvery is int every ? new TrajectoryRecorder(every, plan.StepCount) : null;
        StepCallback callback = recorder is null ? onStep : (in StepState state) =>
        {
            recorder.Record(state);
            onStep(state);
        };
        long denoiseStart = Stopwatch.GetTimestamp();
        loop.Run(plan, latent, noise, segment => bindings[(segment.Model, segment.Guidance > 1)], runOptions, callback, cancellation);
        double denoiseMs = Stopwatch.GetElapsedTime(denoiseStart).TotalMilliseconds;

        cancellation.ThrowIfCancellationRequested();
        var picture = outputModel.VaeDecoder.Decode(latent, channels, _latentHeight, _latentWidth, runOptions);
        var image = new GeneratedImage
        {
            Image = picture,
            Prompt = prompt,
            NegativePrompt = settings.NegativePrompt,
            Seed = seed,
            Mode = mode,
            Plan = plan.ToString(),
            Scheduler = string.Join(",", plan.Schedulers.Select(s => s.Name).Distinct()),
            Steps = plan.StepCount,
            Guidance = settings.Guidance,
            BaseGuidance = settings.BaseGuidance,
            BaseModel = plan.Uses(ModelRole.Base) ? _models.BaseName : "",
            DistilledModel = plan.Uses(ModelRole.Distilled) ? _models.DistilledName : "",
            Provider = string.Join(",", plan.Segments.Select(s => s.Model).Distinct().Select(r => _models[r].UNet.ActiveProvider).Distinct()),
            ElapsedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
            UNetMs = (TotalUNetTime() - unetBefore).TotalMilliseconds,
            DenoiseMs = denoiseMs,
        };
        // Decoded after the timings are taken, so a trajectory does not change what an image is reported to cost.
        return recorder is null ? image : image with
        {
            Trajectory = recorder.Decode(role => _models[role].VaeDecoder, channels, _latentHeight, _latentWidth, runOptions, image, cancellation),
        };
    }

    public void Dispose()
    {
        foreach (var binding in _bindings.Values)
        {
            binding.Dispose();
        }
    }

    private UNetBinding Bind(ModelRole role, bool guided, string prompt, string negativePrompt, RunOptions runOptions)
    {
        var model = _models[role];
        var cond = Embed(model, prompt, runOptions);
        int batch = guided ? 2 : 1;
        if (!_bindings.TryGetValue((role, batch), out var binding))
        {
            binding = model.UNet.Bind(batch, _latentHeight, _latentWidth, cond.SequenceLength, cond.Dim);
            _bindings[(role, batch)] = binding;
        }
        var hidden = binding.HiddenStates;
        if (guided)
        {
            // diffusers' batch order: [unconditional, conditional].
            Embed(model, negativePrompt, runOptions).HiddenStates.CopyTo(hidden);
            cond.HiddenStates.CopyTo(hidden[cond.HiddenStates.Length..]);
        }
        else
        {
            cond.HiddenStates.CopyTo(hidden);
        }
        return binding;
    }

    private TextEmbedding Embed(DiffusionModel model, string prompt, RunOptions runOptions)
    {
        var key = (model.TextEncoder, prompt);
        if (!_embeddings.TryGetValue(key, out var embedding))
        {
            embedding = model.TextEncoder.Encode(prompt, runOptions);
            if (model.UNet.TextDim > 0 && embedding.Dim != model.UNet.TextDim)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"UNet '{model.UNet.ModelPath}' expects text features of size {model.UNet.TextDim}, but the text encoder gives " +
                    $"{embedding.Dim}; the models do not belong together.", model.UNet.ModelPath);
            }
            _embeddings[key] = embedding;
        }
        return embedding;
    }

    private TimeSpan TotalUNetTime() => _bindings.Values.Aggregate(TimeSpan.Zero, (sum, b) => sum + b.RunTime);
}
