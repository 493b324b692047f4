using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Core.Parity;

/// <summary>
/// Replays a diffusers reference case through the engine — its model folders, scheduler class and config, timesteps,
/// mode and base steps, guidance, prompts, initial latents, recorded noise and LoRA — with the engine's own prompt
/// encoding, UNet binding, denoising loop and VAE, and compares every stage with what diffusers recorded.
/// </summary>
public static class ReferenceReplay
{
    /// <param name="engine">The engine whose sessions run the case's models.</param>
    /// <param name="log">Hears which models load on which provider; null reports to the engine's log.</param>
    public static ReferenceReport Run(HybridEngine engine, ReferenceCase reference, SessionSettings session, IEngineLog? log = null,
        CancellationToken cancellation = default)
    {
        log ??= engine.Log;
        var stages = new List<ReferenceStage>();
        var baseFolder = ModelFolder.Open(reference.BaseModel, "pipeline");
        var distilledFolder = reference.DistilledModel is null ? baseFolder : ModelFolder.Open(reference.DistilledModel, "distilled");
        var sliders = reference.LoraFile is null ? Array.Empty<SliderSpec>() : new[] { new SliderSpec(reference.LoraFile, reference.LoraStrength) };
        using var models = new ModelPair(engine.Sessions, baseFolder, distilledFolder, session, log, sliders, strictSliders: true);
        using var runOptions = new RunOptions();
        using var stop = cancellation.Register(() => runOptions.Terminate = true);

        var scheduler = ScheduleOf(reference, stages, out var schedule);
        var plan = PlanOf(reference, scheduler, schedule);
        int batch = reference.Batch, latentHeight = reference.Height / 8, latentWidth = reference.Width / 8;
        int latentSize = reference.InitialLatents.Values.Length / batch;
        var noise = reference.Noise.Select(n => n.Values).ToArray();
        var rows = new LatentRow[batch];
        float sigma = scheduler.InitNoiseSigma(schedule.Steps[0].Timestep);
        for (int r = 0; r < batch; r++)
        {
            var latent = new float[latentSize];
            System.Numerics.Tensors.TensorPrimitives.Multiply(reference.InitialLatents.Values.AsSpan(r * latentSize, latentSize), sigma, latent);
            rows[r] = new LatentRow(latent, new RecordedNoise(noise, r * latentSize));
        }

        var loop = new DenoisingLoop(latentSize);
        var comparison = new StepComparison(reference, rows, latentSize, stages);
        int stepOffset = 0;
        for (int s = 0; s < plan.Segments.Count; s++)
        {
            var segment = plan.Segments[s];
            var model = models[segment.Model];
            var bindings = new List<UNetBinding>();
            var byUNet = new Dictionary<UNetModel, UNetBinding>();
            try
            {
                foreach (var step in segment.Steps)
                {
                    // One binding per UNet (a LoRA that starts below the first timesteps switches UNets mid-segment).
                    var unet = models.UNetAt(segment.Model, step.CeilingTimestep);
                    if (!byUNet.TryGetValue(unet, out var binding))
                    {
                        RequireFits(reference, unet);
                        byUNet[unet] = binding = Bind(unet, model, segment, reference, batch, latentHeight, latentWidth, runOptions);
                    }
                    bindings.Add(binding);
                }
                var recorded = reference.Steps.Skip(stepOffset).Take(segment.Steps.Count).ToArray();
                CompareConditioning(bindings[0], recorded[0], stages);
                comparison.Segment(bindings, stepOffset, model);
                loop.RunSegment(plan, s, rows, bindings, runOptions, comparison, cancellation);
                stepOffset += segment.Steps.Count;
            }
            finally
            {
                foreach (var binding in byUNet.Values)
                {
                    binding.Dispose();
                }
            }
        }

        var vae = models[plan.Segments[^1].Model].VaeDecoder;
        var images = vae.Decode(rows.Select(r => r.Latent).ToList(), latentSize / (latentHeight * latentWidth), latentHeight, latentWidth, runOptions);
        stages.Add(CompareImage(images, reference.Image.Values));
        return new ReferenceReport(reference.Name, stages);
    }

    // The scheduler's own schedule for the case's step count; LCM cases that passed timesteps= run them as custom timesteps.
    private static IDiffusionScheduler ScheduleOf(ReferenceCase reference, List<ReferenceStage> stages, out Schedule schedule)
    {
        var scheduler = SchedulerFactory.Create(reference.Scheduler);
        schedule = scheduler.CreateSchedule(reference.Timesteps.Count);
        if (scheduler is LcmScheduler && !schedule.Timesteps.SequenceEqual(reference.Timesteps))
        {
            scheduler = SchedulerFactory.Create(reference.Scheduler with { CustomTimesteps = reference.Timesteps.Select(t => (int)t).ToArray() });
            schedule = scheduler.CreateSchedule(reference.Timesteps.Count);
        }
        stages.Add(ReferenceStage.Compare("timesteps", ReferenceStageKind.Timesteps,
            schedule.Timesteps.Select(t => (float)t).ToArray(), reference.Timesteps.Select(t => (float)t).ToArray()));
        return scheduler;
    }

    private static SamplingPlan PlanOf(ReferenceCase reference, IDiffusionScheduler scheduler, Schedule schedule)
    {
        var steps = schedule.Steps;
        return reference.Mode switch
        {
            "base" => new SamplingPlan(scheduler, new[] { new PlanSegment(ModelRole.Base, steps, reference.Guidance) }),
            "distilled" => new SamplingPlan(scheduler, new[] { new PlanSegment(ModelRole.Distilled, steps, reference.Guidance) }),
            _ => new SamplingPlan(scheduler, new[]
            {
                new PlanSegment(ModelRole.Base, steps.Take(reference.BaseSteps).ToArray(), reference.Guidance),
                new PlanSegment(ModelRole.Distilled, steps.Skip(reference.BaseSteps).ToArray(), reference.Guidance),
            }),
        };
    }

    private static UNetBinding Bind(UNetModel unet, DiffusionModel model, PlanSegment segment, ReferenceCase reference,
        int batch, int latentHeight, int latentWidth, RunOptions runOptions)
    {
        bool guided = segment.Guidance > 1 && unet.TimestepCondDim == 0;
        var cond = model.Prompt.Encode(reference.Prompt, runOptions);
        var conditioning = Enumerable.Repeat(cond, batch).ToList();
        if (guided)
        {
            var negative = model.Prompt.NegativeFor(reference.NegativePrompt, cond) ?? model.Prompt.Encode(reference.NegativePrompt ?? "", runOptions);
            conditioning.InsertRange(0, Enumerable.Repeat(negative, batch));
        }
        var binding = unet.Bind(conditioning.Count, latentHeight, latentWidth, cond.SequenceLength, cond.Dim);
        ConditioningWriter.Write(unet, binding, conditioning, segment.Guidance, latentHeight, latentWidth);
        return binding;
    }

    private static void CompareConditioning(UNetBinding binding, ReferenceStep step, List<ReferenceStage> stages)
    {
        string prefix = $"step{step.Index}.";
        stages.Add(ReferenceStage.Compare(prefix + "encoder_hidden_states", ReferenceStageKind.Text, binding.HiddenStates, step.EncoderHiddenStates.Values));
        if (step.TextEmbeds is { } textEmbeds)
        {
            stages.Add(ReferenceStage.Compare(prefix + "text_embeds", ReferenceStageKind.Text, binding.TextEmbeds, textEmbeds.Values));
        }
        if (step.TimeIds is { } timeIds)
        {
            stages.Add(ReferenceStage.Compare(prefix + "time_ids", ReferenceStageKind.Text, binding.TimeIds, timeIds.Values));
        }
        if (step.TimestepCond is { } timestepCond)
        {
            stages.Add(ReferenceStage.Compare(prefix + "timestep_cond", ReferenceStageKind.Text, binding.TimestepCond, timestepCond.Values));
        }
    }

    // diffusers' image.npy is float [B, H, W, 3]; its PNGs are round(x·255). Compared in 8-bit levels.
    private static ReferenceStage CompareImage(IReadOnlyList<RgbImage> images, float[] reference)
    {
        var engine = images.SelectMany(i => i.GetPixels()).Select(p => (float)p).ToArray();
        var levels = reference.Select(v => MathF.Round(Math.Clamp(v, 0f, 1f) * 255f, MidpointRounding.ToEven)).ToArray();
        return ReferenceStage.Compare("image", ReferenceStageKind.Image, engine, levels);
    }

    private static float[] Concat(LatentRow[] rows) => rows.SelectMany(r => r.Latent).ToArray();

    /// <summary>Compares each step with diffusers' recording once the batch's last row has taken it.</summary>
    private sealed class StepComparison(ReferenceCase reference, LatentRow[] rows, int latentSize, List<ReferenceStage> stages) : IStepSink
    {
        private readonly float[] _predicted = new float[rows.Length * latentSize];
        private IReadOnlyList<UNetBinding> _bindings = Array.Empty<UNetBinding>();
        private int _offset;
        private DiffusionModel? _model;
        private bool _truncated;

        /// <summary>The segment that runs next: its steps' bindings, its first step's index in the plan, and its model.</summary>
        public void Segment(IReadOnlyList<UNetBinding> bindings, int offset, DiffusionModel model) => (_bindings, _offset, _model) = (bindings, offset, model);

        public void OnStep(in StepState state)
        {
            state.PredictedOriginal.CopyTo(_predicted.AsSpan(state.Row * latentSize));
            if (state.Row < rows.Length - 1)
            {
                return;
            }
            var step = reference.Steps[state.PlanStepIndex];
            var binding = _bindings[state.PlanStepIndex - _offset];
            _truncated |= _model!.UNet.TimestepType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64
                && state.Step.Timestep != Math.Floor(state.Step.Timestep);
            stages.Add(ReferenceStage.Compare($"step{step.Index}.unet", Kind(ReferenceStageKind.UNetOutput), binding.Output, step.UNetOutput.Values));
            stages.Add(ReferenceStage.Compare($"step{step.Index}.latent", Kind(ReferenceStageKind.Latent), Concat(rows), step.PrevSample.Values));
            stages.Add(ReferenceStage.Compare($"step{step.Index}.x0", Kind(ReferenceStageKind.PredictedOriginal), _predicted, step.PredictedOriginal.Values));
        }

        private ReferenceStageKind Kind(ReferenceStageKind exact) => _truncated ? ReferenceStageKind.AfterTruncatedTimestep : exact;
    }

    // The case's arrays are the model's latents: another channel count is another model, said before any run.
    private static void RequireFits(ReferenceCase reference, UNetModel unet)
    {
        int channels = reference.InitialLatents.Shape[1];
        if (channels != unet.LatentChannels)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                $"Case '{reference.Name}' records latents of {channels} channels ({reference.InitialLatents.ShapeText}), but its UNet " +
                $"'{unet.ModelPath}' takes {unet.LatentChannels}: the case's arrays do not belong to this model.", reference.Folder);
        }
    }
}
