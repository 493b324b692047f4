namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Runs a pair function over the upper triangle in parallel, tile by tile, so that the images of two tiles stay in
/// cache while all their pairs are compared. Every pair is computed on its own, so results do not depend on threading.
/// </summary>
internal static class PairScheduler
{
    private const int TileSize = 8;

    public static DistanceMatrix Run<TScratch>(int count, Func<TScratch> scratch, Func<int, int, TScratch, double> distance,
        IProgress<double>? progress, CancellationToken cancellation)
    {
        var matrix = new DistanceMatrix(count);
        int tiles = (count + TileSize - 1) / TileSize;
        var tilePairs = new List<(int, int)>();
        for (int a = 0; a < tiles; a++)
        {
            for (int b = a; b < tiles; b++)
            {
                tilePairs.Add((a, b));
            }
        }
        long done = 0;
        int reported = -1;
        var gate = new object();
        var options = new ParallelOptions { CancellationToken = cancellation };
        Parallel.ForEach(tilePairs, options, scratch, (tile, _, local) =>
        {
            var (a, b) = tile;
            int pairs = 0;
            for (int i = a * TileSize; i < Math.Min(count, (a + 1) * TileSize); i++)
            {
                for (int j = Math.Max(i + 1, b * TileSize); j < Math.Min(count, (b + 1) * TileSize); j++)
                {
                    matrix.Set(i, j, distance(i, j, local));
                    pairs++;
                }
            }
            if (progress is not null)
            {
                long total = Interlocked.Add(ref done, pairs);
                int percent = (int)(100 * total / Math.Max(1, matrix.PairCount));
                lock (gate)
                {
                    if (percent > reported)
                    {
                        reported = percent;
                        progress.Report(percent / 100.0);
                    }
                }
            }
            return local;
        }, _ => { });
        return matrix;
    }
}
