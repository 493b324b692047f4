using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>What a face of the engine hears after each step of each image of a batch.</summary>
internal delegate void JobStepCallback(ImageJob job, in StepState state);

/// <summary>
/// Per-request state reused from batch to batch: UNet bindings per (UNet, rows, guidance embedding), step tables per
/// (plan, segment, batch size), the denoising buffers, and the latest prompts' conditioning (a bounded cache, so a run
/// of many distinct prompts does not keep every one). Runs one plan segment for a batch of images at a time, so a caller can run whole plans
/// batch by batch (concurrent memory mode) or every image's base segment before any distilled one (sequential).
/// </summary>
internal sealed class GenerationSession : IDisposable
{
    private readonly ModelPair _models;
    private readonly int _latentHeight;
    private readonly int _latentWidth;
    private readonly Dictionary<(UNetModel, int, float), (UNetBinding Binding, ModelRole Role)> _bindings = new();
    private readonly Dictionary<UNetBinding, string[]> _filledPrompts = new();
    private readonly ConditioningCache _conditioning = new();
    private readonly Dictionary<(SamplingPlan, int, int), UNetBinding[]> _stepTables = new();
    private readonly Dictionary<ModelRole, ExecutionProvider> _providers = new();
    private readonly Dictionary<SamplingPlan, string> _planText = new();
    private readonly HashSet<VaeDecoder> _warmDecoders = new();
    private DenoisingLoop? _loop;

    public GenerationSession(ModelPair models, int latentHeight, int latentWidth)
    {
        _models = models;
        _latentHeight = latentHeight;
        _latentWidth = latentWidth;
    }

    /// <summary>Runs the next segment of every job in <paramref name="batch"/>; they share a plan and have run the same segments.</summary>
    public void RunSegment(IReadOnlyList<ImageJob> batch, GenerationSettings settings, RunOptions runOptions, JobStepCallback onStep,
        CancellationToken cancellation)
    {
        long setupStart = Stopwatch.GetTimestamp();
        var plan = batch[0].Plan;
        int segmentIndex = batch[0].SegmentsDone;
        var segment = plan.Segments[segmentIndex];
        var unet = _models.UNetOf(segment.Model);
        int channels = unet.LatentChannels;
        _providers[segment.Model] = unet.ActiveProvider;
        _conditioning.FitBatch(batch.Count);
        var rows = new LatentRow[batch.Count];
        for (int r = 0; r < batch.Count; r++)
        {
            batch[r].Start(channels, _latentHeight, _latentWidth);
            rows[r] = new LatentRow(batch[r].Latent!, batch[r].Noise);
        }

        // Conditioning first, so the denoising time below is the loop alone.
        var bindings = StepBindings(plan, segmentIndex, batch.Count, batch[0].Prompt, runOptions);
        bool warmUp = bindings.Any(b => b.RunTime == TimeSpan.Zero) && WarmUpIsCheap(unet.ModelPath);
        foreach (var binding in bindings.Distinct())
        {
            FillConditioning(binding, batch, segment, settings.NegativePrompt, runOptions);
        }
        // A small UNet loaded and bound for this batch first runs the segment's first step on copies of the rows (the
        // bindings' outputs are overwritten by the real steps), so loading, the first runs' allocations and compiling the
        // loop are reported as one-time work, not charged to this batch's images. A large UNet is not run twice: there a
        // run costs far more than the first-run overhead it would move, so only its loading and binding count as setup.
        _loop ??= new DenoisingLoop(rows[0].Latent.Length);
        double setupMs = 0;
        long start = setupStart;
        if (warmUp)
        {
            var copies = rows.Select(r => new LatentRow(r.Latent.ToArray(), new GaussianNoise(0))).ToArray();
            var firstStep = plan with
            {
                Segments = plan.Segments.Select((s, i) => i == segmentIndex ? s with { Steps = s.Steps.Take(1).ToArray() } : s).ToArray(),
            };
            _loop.RunSegment(firstStep, segmentIndex, copies, bindings, runOptions, null, cancellation);
            foreach (var binding in bindings.Distinct().Where(b => b.RunTime == TimeSpan.Zero))
            {
                binding.Run(segment.Steps[0].Timestep, runOptions);
            }
            setupMs = Stopwatch.GetElapsedTime(setupStart).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
        }
        var unetBefore = RunTime(bindings);
        long denoiseStart = Stopwatch.GetTimestamp();
        _loop.RunSegment(plan, segmentIndex, rows, bindings, runOptions, (in StepState state) =>
        {
            var job = batch[state.Row];
            job.Recorder?.Record(state);
            onStep(job, state);
        }, cancellation);
        double denoiseMs = Stopwatch.GetElapsedTime(denoiseStart).TotalMilliseconds;
        double unetMs = (RunTime(bindings) - unetBefore).TotalMilliseconds;
        double elapsedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        foreach (var job in batch)
        {
            job.DenoiseMs += denoiseMs / batch.Count;
            job.UNetMs += unetMs / batch.Count;
            job.ElapsedMs += elapsedMs / batch.Count;
            job.SetupMs += setupMs / batch.Count;
            job.Advance(batch.Count);
        }
    }

    /// <summary>Decodes denoised jobs into their images (and trajectories, when recorded); jobs of one VAE share a run.</summary>
    public IEnumerable<GeneratedImage> Finish(IReadOnlyList<ImageJob> jobs, GenerationSettings settings, RunOptions runOptions, CancellationToken cancellation)
    {
        var pictures = new Dictionary<ImageJob, (RgbImage Picture, double Ms)>();
        foreach (var group in jobs.GroupBy(j => _models[j.Plan.Segments[^1].Model].VaeDecoder))
        {
            cancellation.ThrowIfCancellationRequested();
            var members = group.ToList();
            int channels = members[0].Latent!.Length / (_latentHeight * _latentWidth);
            var latents = members.Select(j => j.Latent!).ToList();
            long start = Stopwatch.GetTimestamp();
            if (_warmDecoders.Add(group.Key) && WarmUpIsCheap(group.Key.ModelPath))
            {
                // The decoder's first runs (at this batch's shape) are one-time work: warm it up, and time the real run alone.
                // It takes two: the second run at a shape is still slower than the ones after it (measured on the demo pair).
                for (int run = 0; run < 2; run++)
                {
                    group.Key.Decode(latents, channels, _latentHeight, _latentWidth, runOptions);
                }
                double warmUpShare = Stopwatch.GetElapsedTime(start).TotalMilliseconds / members.Count;
                members.ForEach(j => j.SetupMs += warmUpShare);
                start = Stopwatch.GetTimestamp();
            }
            var decoded = group.Key.Decode(latents, channels, _latentHeight, _latentWidth, runOptions);
            double share = Stopwatch.GetElapsedTime(start).TotalMilliseconds / members.Count;
            for (int i = 0; i < members.Count; i++)
            {
                pictures[members[i]] = (decoded[i], share);
            }
        }
        return jobs.Select(job => Describe(job, pictures[job].Picture, pictures[job].Ms, settings, runOptions, cancellation));
    }

    private GeneratedImage Describe(ImageJob job, RgbImage picture, double decodeMs, GenerationSettings settings, RunOptions runOptions,
        CancellationToken cancellation)
    {
        var plan = job.Plan;
        var roles = plan.Segments.Select(s => s.Model).Distinct().ToArray();
        if (!_planText.TryGetValue(plan, out var planText))
        {
            _planText[plan] = planText = plan.ToString();
        }
        var image = new GeneratedImage
        {
            Image = picture,
            Prompt = job.Prompt,
            NegativePrompt = settings.NegativePrompt ?? "",
            NoiseSource = job.NoiseKind.ToString(),
            InitialLatents = job.InitialLatents?.Source,
            Seed = job.Seed,
            Mode = job.Mode,
            Plan = planText,
            Scheduler = string.Join(",", plan.Schedulers.Select(s => s.Name).Distinct()),
            Steps = plan.StepCount,
            Guidance = settings.Guidance,
            BaseGuidance = settings.BaseGuidance,
            BaseModel = plan.Uses(ModelRole.Base) ? _models.BaseName : "",
            DistilledModel = plan.Uses(ModelRole.Distilled) ? _models.DistilledName : "",
            Provider = string.Join(",", roles.Select(r => SessionFactory.NameOf(_providers[r])).Distinct()),
            Sliders = _models.DescribeSliders(roles),
            BatchSize = job.BatchSize,
            ElapsedMs = job.ElapsedMs + decodeMs,
            SetupMs = job.SetupMs,
            UNetMs = job.UNetMs,
            DenoiseMs = job.DenoiseMs,
        };
        // Decoded after the timings are taken, so a trajectory does not change what an image is reported to cost.
        int channels = job.Latent!.Length / (_latentHeight * _latentWidth);
        return job.Recorder is not { } recorder ? image : image with
        {
            Trajectory = recorder.Decode(role => _models[role].VaeDecoder, channels, _latentHeight, _latentWidth, runOptions, image, cancellation),
        };
    }

    /// <summary>Releases a role's UNet and every binding made for it, so its memory is returned (sequential mode).</summary>
    public void Release(ModelRole role)
    {
        foreach (var (key, entry) in _bindings.Where(b => b.Value.Role == role).ToList())
        {
            entry.Binding.Dispose();
            _bindings.Remove(key);
            _filledPrompts.Remove(entry.Binding);
        }
        _stepTables.Clear();
        _models.Release(role);
    }

    /// <summary>Models up to this size are warmed up with extra runs (see <see cref="WarmUpIsCheap"/>).</summary>
    internal const long WarmUpLimitBytes = 64L << 20;

    // An extra warm-up run is worth it only where a run is cheap next to the first-run overhead it takes out of the
    // per-image times (the demo pair, small fixtures); an SDXL UNet's extra step would cost seconds of real compute.
    private static bool WarmUpIsCheap(string modelPath) => OnnxFileSize.Of(modelPath) <= WarmUpLimitBytes;

    public void Dispose()
    {
        foreach (var (binding, _) in _bindings.Values)
        {
            binding.Dispose();
        }
        _bindings.Clear();
    }

    // One binding per step of the segment: sliders that start below the first timesteps switch UNets mid-segment.
    // Kept per (plan, segment, batch size), so a batch allocates nothing in proportion to its steps.
    private UNetBinding[] StepBindings(SamplingPlan plan, int segmentIndex, int count, string prompt, RunOptions runOptions)
    {
        if (_stepTables.TryGetValue((plan, segmentIndex, count), out var table))
        {
            return table;
        }
        var segment = plan.Segments[segmentIndex];
        var model = _models[segment.Model];
        table = new UNetBinding[segment.Steps.Count];
        for (int i = 0; i < table.Length; i++)
        {
            var unet = _models.UNetAt(segment.Model, segment.Steps[i].CeilingTimestep);
            // LCM exports with timestep_cond take the guidance as an embedding instead of a [uncond, cond] batch.
            bool embedded = unet.TimestepCondDim > 0;
            int rows = segment.Guidance > 1 && !embedded ? 2 * count : count;
            var key = (unet, rows, embedded ? segment.Guidance : 0f);
            if (!_bindings.TryGetValue(key, out var entry))
            {
                var cond = Encode(model, prompt, runOptions);
                entry = (unet.Bind(rows, _latentHeight, _latentWidth, cond.SequenceLength, cond.Dim), segment.Model);
                _bindings[key] = entry;
            }
            table[i] = entry.Binding;
        }
        return _stepTables[(plan, segmentIndex, count)] = table;
    }

    // Writes the batch's prompts into a binding: every negative prompt row, then every prompt row (diffusers' order).
    // Skipped when the binding already holds these prompts, the common case of many seeds of one prompt.
    private void FillConditioning(UNetBinding binding, IReadOnlyList<ImageJob> batch, PlanSegment segment, string? negativePrompt, RunOptions runOptions)
    {
        var prompts = batch.Select(j => j.Prompt).ToArray();
        if (_filledPrompts.TryGetValue(binding, out var filled) && filled.AsSpan().SequenceEqual(prompts))
        {
            return;
        }
        var model = _models[segment.Model];
        var unet = _models.UNetAt(segment.Model, segment.Steps[0].CeilingTimestep);
        bool guided = binding.Batch == 2 * batch.Count;
        var conds = prompts.Select(p => Encode(model, p, runOptions)).ToArray();
        var rows = guided
            ? conds.Select(c => model.Prompt.NegativeFor(negativePrompt, c) ?? Encode(model, negativePrompt ?? "", runOptions))
                .Concat(conds).ToArray()
            : conds;
        ConditioningWriter.Write(unet, binding, rows, segment.Guidance, _latentHeight, _latentWidth);
        _filledPrompts[binding] = prompts;
    }

    private TextConditioning Encode(DiffusionModel model, string prompt, RunOptions runOptions) =>
        _conditioning.GetOrAdd(model.Prompt, prompt, () =>
        {
            var conditioning = model.Prompt.Encode(prompt, runOptions);
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
            return conditioning;
        });

    /// <summary>Prompt conditionings held now (tests: bounded however many distinct prompts ran).</summary>
    internal int ConditioningCount => _conditioning.Count;

    private static TimeSpan RunTime(UNetBinding[] bindings)
    {
        var total = TimeSpan.Zero;
        for (int i = 0; i < bindings.Length; i++)
        {
            // A binding that serves several steps is counted once.
            if (Array.IndexOf(bindings, bindings[i]) == i)
            {
                total += bindings[i].RunTime;
            }
        }
        return total;
    }
}
