using System.Diagnostics;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Per-request state reused from batch to batch: UNet bindings per (UNet, rows, guidance embedding), step tables per
/// (plan, segment, batch size), the denoising buffers, and the latest prompts' conditioning (a bounded cache, so a run
/// of many distinct prompts does not keep every one). Encodes and denoises one plan segment for a batch of images at a
/// time, so a caller can run whole plans batch by batch (concurrent memory mode) or every image's base segment before
/// any distilled one (sequential), and decodes the images that are done.
/// </summary>
internal sealed class GenerationSession : IDisposable
{
    private readonly ModelPair _models;
    private readonly int _latentHeight;
    private readonly int _latentWidth;
    private readonly Dictionary<(UNetModel, int, float), (UNetBinding Binding, ModelRole Role, float Guidance)> _bindings = new();
    private readonly Dictionary<UNetBinding, string[]> _filledPrompts = new();
    private readonly ConditioningCache _conditioning = new();
    private readonly Dictionary<(SamplingPlan, int, int), UNetBinding[]> _stepTables = new();
    private readonly Dictionary<ModelRole, ExecutionProvider> _providers = new();
    private readonly Dictionary<SamplingPlan, string> _planText = new();
    private readonly WarmUp _warmUp = new();
    private readonly bool _oneUNetAtATime;
    private ModelRole? _lastRole;
    private DenoisingLoop? _loop;

    /// <param name="memoryMode">Sequential holds one UNet at a time: a segment of the other model releases the last one's.</param>
    public GenerationSession(ModelPair models, int latentHeight, int latentWidth, MemoryMode memoryMode)
    {
        _models = models;
        _latentHeight = latentHeight;
        _latentWidth = latentWidth;
        _oneUNetAtATime = memoryMode == MemoryMode.Sequential;
    }

    /// <summary>
    /// Encode: writes the batch's prompts' conditioning into the UNet bindings of its next segment (binding the UNet
    /// first when this batch shape is new); the jobs share a plan and have run the same segments. In sequential memory
    /// mode a segment of the other model first releases the UNet that ran before.
    /// </summary>
    public SegmentRun Encode(IReadOnlyList<ImageJob> batch, string? negativePrompt, RunOptions runOptions)
    {
        long startedAt = Stopwatch.GetTimestamp();
        var plan = batch[0].Plan;
        int segmentIndex = batch[0].SegmentsDone;
        var segment = plan.Segments[segmentIndex];
        if (_oneUNetAtATime && _lastRole is ModelRole previous && previous != segment.Model)
        {
            Release(previous);
        }
        _lastRole = segment.Model;
        var unet = _models.UNetOf(segment.Model);
        _providers[segment.Model] = unet.ActiveProvider;
        _conditioning.FitBatch(batch.Count);
        var bindings = StepBindings(plan, segmentIndex, batch.Count, batch[0].Prompt, runOptions);
        bool warmUp = WarmUp.IsNeeded(bindings, unet);
        foreach (var binding in bindings.Distinct())
        {
            FillConditioning(binding, batch, segment, negativePrompt, runOptions);
        }
        var model = _models[segment.Model];
        var perturbation = segment.PerturbsConditioning
            ? new ConditionPerturbation(segment, plan.StepCount, plan.SchedulerOf(segment).Config.NumTrainTimesteps, unet,
                batch.Select(j => (Encode(model, j.Prompt, runOptions), j.Seed, j.NoiseKind)).ToArray())
            : null;
        return new SegmentRun(batch, plan, segmentIndex, unet.LatentChannels, bindings, warmUp, startedAt, perturbation);
    }

    /// <summary>
    /// Denoise: runs the encoded segment over its batch (the first segment starts each image from its noise), each step
    /// of each image heard by <paramref name="progress"/>.
    /// </summary>
    /// <param name="progress">Null for runs nobody follows (tests).</param>
    public void Denoise(in SegmentRun run, ProgressSink? progress, RunOptions runOptions, CancellationToken cancellation)
    {
        var batch = run.Batch;
        var rows = new LatentRow[batch.Count];
        for (int r = 0; r < batch.Count; r++)
        {
            batch[r].Start(run.Channels, _latentHeight, _latentWidth);
            rows[r] = new LatentRow(batch[r].Latent!, batch[r].Noise);
        }
        _loop ??= new DenoisingLoop(rows[0].Latent.Length);
        var clock = new SegmentClock(run.StartedAt);
        if (run.WarmUp)
        {
            WarmUp.FirstStep(_loop, run, rows, runOptions, cancellation);
            clock.SetupDone();
        }
        progress?.Running(batch);
        clock.LoopStarts(run.Bindings);
        _loop.RunSegment(run.Plan, run.SegmentIndex, rows, run.Bindings, runOptions, progress, cancellation, run.Perturbation);
        clock.Charge(batch, run.Bindings);
        if (run.Perturbation is not null)
        {
            // The bindings hold the last step's perturbed prompt rows: the next batch writes its prompts again.
            foreach (var binding in run.Bindings)
            {
                _filledPrompts.Remove(binding);
            }
        }
        int modelCalls = run.ModelCallsPerImage;
        foreach (var job in batch)
        {
            job.Advance(batch.Count, modelCalls);
        }
    }

    /// <summary>Decode: denoised jobs into their images (and trajectories, when recorded); jobs of one VAE share a run.</summary>
    public IEnumerable<GeneratedImage> Decode(IReadOnlyList<ImageJob> jobs, GenerationSettings settings, RunOptions runOptions, CancellationToken cancellation)
    {
        var pictures = new Dictionary<ImageJob, (RgbImage Picture, double Ms)>();
        foreach (var group in jobs.GroupBy(j => _models[j.Plan.Segments[^1].Model].VaeDecoder))
        {
            cancellation.ThrowIfCancellationRequested();
            var members = group.ToList();
            int channels = members[0].Latent!.Length / (_latentHeight * _latentWidth);
            var latents = members.Select(j => j.Latent!).ToList();
            long start = Stopwatch.GetTimestamp();
            // The decoder's first runs (at this batch's shape) are one-time work: time the real run alone.
            if (_warmUp.Decoder(group.Key, latents, channels, _latentHeight, _latentWidth, runOptions))
            {
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

    /// <summary>Latents of this session's size decoded by <paramref name="role"/>'s VAE (the transition probe's x̂0).</summary>
    public RgbImage[] DecodeLatents(ModelRole role, IReadOnlyList<float[]> latents, int channels, RunOptions runOptions) =>
        _models[role].VaeDecoder.Decode(latents, channels, _latentHeight, _latentWidth, runOptions);

    public int LatentHeight => _latentHeight;

    public int LatentWidth => _latentWidth;

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
            ModelCalls = job.ModelCalls,
            Transition = job.Transition,
            Methods = string.Join("; ", plan.Segments.Where(s => s.MethodsText.Length > 0)
                .Select(s => $"{s.Model.ToString().ToLowerInvariant()} {s.MethodsText[1..].Replace("+", " ", StringComparison.Ordinal)}")),
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
    private void Release(ModelRole role)
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

    public void Dispose()
    {
        foreach (var (binding, _, _) in _bindings.Values)
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
            // LCM exports with timestep_cond take the guidance as an embedding instead of a [uncond, cond] batch. A step
            // outside the segment's guidance interval runs unguided: one conditional row per image (embedded: guidance 1).
            bool embedded = unet.TimestepCondDim > 0, guided = plan.GuidesAt(segment, segment.Steps[i]);
            int rows = guided && !embedded ? 2 * count : count;
            var key = (unet, rows, embedded ? (guided || segment.Interval is null ? segment.Guidance : 1f) : 0f);
            if (!_bindings.TryGetValue(key, out var entry))
            {
                var cond = Encode(model, prompt, runOptions);
                entry = (unet.Bind(rows, _latentHeight, _latentWidth, cond.SequenceLength, cond.Dim), segment.Model, key.Item3);
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
        ConditioningWriter.Write(unet, binding, rows, _bindings.Values.First(e => e.Binding == binding).Guidance, _latentHeight, _latentWidth);
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
}
