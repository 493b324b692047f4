using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Imaging;
using HybridDiffusion.Models;
using HybridDiffusion.Scheduling;

namespace HybridDiffusion.Sampling;

/// <summary>
/// Per-request state reused from image to image: UNet bindings per (model, batch), the denoising buffers and the
/// prompt conditioning (each distinct prompt is encoded once per prompt encoder).
/// </summary>
internal sealed class GenerationSession : IDisposable
{
    private readonly ModelPair _models;
    private readonly int _latentHeight;
    private readonly int _latentWidth;
    private readonly Dictionary<(UNetModel, int, float), UNetBinding> _bindings = new();
    private readonly Dictionary<(PromptEncoder, string), TextConditioning> _conditioning = new();
    private readonly Dictionary<int, DenoisingLoop> _loops = new();
    private readonly Dictionary<SamplingPlan, ((UNetModel Unet, PlanSegment Segment)[] Units, UNetBinding[] Bindings, string Text)> _stepTables = new();

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
        // One binding per (UNet, guidance): sliders that start below the first timesteps switch UNets mid-plan. The
        // per-step table is kept per plan, so an image allocates nothing in proportion to its steps.
        if (!_stepTables.TryGetValue(plan, out var table))
        {
            var units = plan.Segments.SelectMany(segment => segment.Steps.Select(step => (_models.UNetAt(segment.Model, step.Timestep), segment))).ToArray();
            _stepTables[plan] = table = (units, new UNetBinding[units.Length], plan.ToString());
        }
        var bound = new Dictionary<(UNetModel, float), UNetBinding>();
        for (int i = 0; i < table.Units.Length; i++)
        {
            var (unet, segment) = table.Units[i];
            if (!bound.TryGetValue((unet, segment.Guidance), out var binding))
            {
                bound[(unet, segment.Guidance)] = binding = Bind(_models[segment.Model], unet, segment.Guidance, prompt, settings.NegativePrompt, runOptions);
            }
            table.Bindings[i] = binding;
        }
        var stepBindings = table.Bindings;
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
        loop.Run(plan, latent, noise, stepBindings, runOptions, callback, cancellation);
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
            Plan = table.Text,
            Scheduler = string.Join(",", plan.Schedulers.Select(s => s.Name).Distinct()),
            Steps = plan.StepCount,
            Guidance = settings.Guidance,
            BaseGuidance = settings.BaseGuidance,
            BaseModel = plan.Uses(ModelRole.Base) ? _models.BaseName : "",
            DistilledModel = plan.Uses(ModelRole.Distilled) ? _models.DistilledName : "",
            Provider = string.Join(",", plan.Segments.Select(s => s.Model).Distinct().Select(r => _models[r].UNet.ActiveProvider).Distinct()),
            Sliders = _models.DescribeSliders(plan.Segments.Select(s => s.Model).Distinct()),
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

    private UNetBinding Bind(DiffusionModel model, UNetModel unet, float guidance, string prompt, string negativePrompt, RunOptions runOptions)
    {
        // LCM exports with timestep_cond take the guidance as an embedding instead of a [uncond, cond] batch.
        bool embedded = unet.TimestepCondDim > 0;
        bool guided = guidance > 1 && !embedded;
        var cond = Encode(model, prompt, runOptions);
        var rows = guided
            ? new[] { negativePrompt.Length == 0 && model.Prompt.ZeroEmptyNegativePrompt ? PromptEncoder.Zeros(cond) : Encode(model, negativePrompt, runOptions), cond }
            : new[] { cond };
        var key = (unet, rows.Length, embedded ? guidance : 0f);
        if (!_bindings.TryGetValue(key, out var binding))
        {
            binding = unet.Bind(rows.Length, _latentHeight, _latentWidth, cond.SequenceLength, cond.Dim);
            _bindings[key] = binding;
        }
        // diffusers' batch order: [unconditional, conditional].
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r].HiddenStates.CopyTo(binding.HiddenStates[(r * cond.HiddenStates.Length)..]);
            if (unet.IsSdxl)
            {
                rows[r].Pooled.CopyTo(binding.TextEmbeds[(r * unet.PooledDim)..]);
                // time_ids = original size, crop top-left, target size, in pixels.
                float height = _latentHeight * 8, width = _latentWidth * 8;
                new[] { height, width, 0f, 0f, height, width }.CopyTo(binding.TimeIds[(r * unet.TimeIdsCount)..]);
            }
            if (embedded)
            {
                GuidanceEmbedding.Write(guidance, binding.TimestepCond.Slice(r * unet.TimestepCondDim, unet.TimestepCondDim));
            }
        }
        binding.CommitConditioning();
        return binding;
    }

    private TextConditioning Encode(DiffusionModel model, string prompt, RunOptions runOptions)
    {
        var key = (model.Prompt, prompt);
        if (!_conditioning.TryGetValue(key, out var conditioning))
        {
            conditioning = model.Prompt.Encode(prompt, runOptions);
            var unet = model.UNet;
            if (unet.TextDim > 0 && conditioning.Dim != unet.TextDim)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"UNet '{unet.ModelPath}' expects text features of size {unet.TextDim}, but the text encoder gives " +
                    $"{conditioning.Dim}; the models do not belong together.", unet.ModelPath);
            }
            if (unet.IsSdxl && conditioning.Pooled.Length != unet.PooledDim)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"UNet '{unet.ModelPath}' expects pooled text_embeds of size {unet.PooledDim}, but the text encoders give " +
                    $"{conditioning.Pooled.Length}; an SDXL UNet needs SDXL's two text encoders.", unet.ModelPath);
            }
            _conditioning[key] = conditioning;
        }
        return conditioning;
    }

    private TimeSpan TotalUNetTime() => _bindings.Values.Aggregate(TimeSpan.Zero, (sum, b) => sum + b.RunTime);
}
