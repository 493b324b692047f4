namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// Orders the denoising work of a request's images into batches: images that share a plan and have run the same
/// segments share UNet runs, up to the batch size. Says what to do next, one <see cref="Work"/> at a time: run the next
/// segment of a batch, or hand on images that are denoised (in request order). It runs nothing itself: the caller runs
/// each segment it is given before asking for the next, and the order reads the images' progress from them.
/// </summary>
internal sealed class BatchOrder(int batchSize, MemoryMode memoryMode)
{
    /// <summary>Run the next segment of <paramref name="Batch"/>, or, when <paramref name="IsDenoised"/>, decode its images.</summary>
    public readonly record struct Work(IReadOnlyList<ImageJob> Batch, bool IsDenoised);

    /// <summary>Images whose latents sequential mode holds at once.</summary>
    internal const int SequentialWindow = 1024;

    /// <summary>The work of <paramref name="jobs"/>, which are taken only as batches need them.</summary>
    public IEnumerable<Work> Of(IEnumerable<ImageJob> jobs) => memoryMode == MemoryMode.Sequential ? Sequential(jobs) : Concurrent(jobs);

    /// <summary>
    /// Both UNets stay loaded: each batch runs its whole plan, and its images come out before the next batch starts.
    /// Batches take consecutive images of one plan (seeds, then the next prompt's seeds), so images stream out in
    /// request order.
    /// </summary>
    private IEnumerable<Work> Concurrent(IEnumerable<ImageJob> jobs)
    {
        var batch = new List<ImageJob>();
        foreach (var job in jobs)
        {
            if (batch.Count == batchSize || (batch.Count > 0 && batch[0].Plan != job.Plan))
            {
                foreach (var work in WholePlan(batch))
                {
                    yield return work;
                }
                batch = new List<ImageJob>();
            }
            batch.Add(job);
        }
        if (batch.Count > 0)
        {
            foreach (var work in WholePlan(batch))
            {
                yield return work;
            }
        }
    }

    private static IEnumerable<Work> WholePlan(List<ImageJob> batch)
    {
        while (!batch[0].IsDenoised)
        {
            yield return new Work(batch, IsDenoised: false);
        }
        yield return new Work(batch, IsDenoised: true);
    }

    /// <summary>
    /// One UNet at a time: every segment that one model runs is run for every image of a window (in batches), then
    /// the model the earliest unfinished image needs next runs (the session releases the other UNet when it does). For
    /// hybrid requests this is every base step first, then every distilled step. Images come out as soon as they and
    /// all earlier ones are done. A window holds <see cref="SequentialWindow"/> images (or one batch, if larger), so a
    /// long run's latents stay bounded; each window loads each UNet once.
    /// </summary>
    private IEnumerable<Work> Sequential(IEnumerable<ImageJob> jobs)
    {
        foreach (var window in jobs.Chunk(Math.Max(SequentialWindow, batchSize)))
        {
            int returned = 0;
            while (returned < window.Length)
            {
                var role = window.First(j => !j.IsDenoised).NextModel;
                List<ImageJob> ready;
                while ((ready = window.Where(j => !j.IsDenoised && j.NextModel == role).ToList()).Count > 0)
                {
                    foreach (var batch in ready.GroupBy(j => (j.Plan, j.SegmentsDone)).SelectMany(group => group.Chunk(batchSize)))
                    {
                        yield return new Work(batch, IsDenoised: false);
                    }
                }
                int done = returned;
                while (done < window.Length && window[done].IsDenoised)
                {
                    done++;
                }
                if (done > returned)
                {
                    yield return new Work(window.Skip(returned).Take(done - returned).ToList(), IsDenoised: true);
                    returned = done;
                }
            }
        }
    }
}
