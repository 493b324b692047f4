using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Orders the denoising work of a request's images into batches: images that share a plan and have run the same
/// segments share UNet runs, up to the batch size. Yields denoised images in request order, a batch (or a finished run of images) at a time.
/// </summary>
internal sealed class JobRunner(GenerationSession session, GenerationSettings settings, RunOptions runOptions, JobStepCallback onStep, int batchSize,
    CancellationToken cancellation)
{
    /// <summary>
    /// Both UNets stay loaded: each batch runs its whole plan, and its images come out before the next batch starts.
    /// Batches take consecutive images of one plan (seeds, then the next prompt's seeds), so images stream out in
    /// request order; jobs are taken from <paramref name="jobs"/> only as batches need them.
    /// </summary>
    public IEnumerable<IReadOnlyList<ImageJob>> RunConcurrent(IEnumerable<ImageJob> jobs)
    {
        var batch = new List<ImageJob>();
        foreach (var job in jobs)
        {
            if (batch.Count == batchSize || (batch.Count > 0 && batch[0].Plan != job.Plan))
            {
                yield return Denoise(batch);
                batch = new List<ImageJob>();
            }
            batch.Add(job);
        }
        if (batch.Count > 0)
        {
            yield return Denoise(batch);
        }
    }

    private List<ImageJob> Denoise(List<ImageJob> batch)
    {
        while (!batch[0].IsDenoised)
        {
            session.RunSegment(batch, settings, runOptions, onStep, cancellation);
        }
        return batch;
    }

    /// <summary>
    /// One UNet at a time: every segment that the loaded model can run is run for every image of a window (in batches),
    /// then that UNet is released and the model the earliest unfinished image needs next is loaded. For hybrid requests
    /// this is every base step first, then every distilled step. Images come out as soon as they and all earlier ones
    /// are done. A window holds <see cref="SequentialWindow"/> images (or one batch, if larger), so a long run's
    /// latents stay bounded; each window loads each UNet once.
    /// </summary>
    public IEnumerable<IReadOnlyList<ImageJob>> RunSequential(IEnumerable<ImageJob> jobs)
    {
        ModelRole? loaded = null;
        foreach (var window in jobs.Chunk(Math.Max(SequentialWindow, batchSize)))
        {
            int returned = 0;
            while (returned < window.Length)
            {
                var role = window.First(j => !j.IsDenoised).NextModel;
                if (loaded is ModelRole previous && previous != role)
                {
                    session.Release(previous);
                }
                loaded = role;
                List<ImageJob> ready;
                while ((ready = window.Where(j => !j.IsDenoised && j.NextModel == role).ToList()).Count > 0)
                {
                    foreach (var batch in ready.GroupBy(j => (j.Plan, j.SegmentsDone)).SelectMany(group => group.Chunk(batchSize)))
                    {
                        session.RunSegment(batch, settings, runOptions, onStep, cancellation);
                    }
                }
                int done = returned;
                while (done < window.Length && window[done].IsDenoised)
                {
                    done++;
                }
                if (done > returned)
                {
                    yield return window.Skip(returned).Take(done - returned).ToList();
                    returned = done;
                }
            }
        }
    }

    /// <summary>Images whose latents sequential mode holds at once.</summary>
    internal const int SequentialWindow = 1024;
}
