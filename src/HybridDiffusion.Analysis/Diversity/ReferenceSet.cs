using HybridDiffusion.Analysis.Diversity.Distribution;
using HybridDiffusion.Core.Formats;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// The reference set FID and KID compare each group with, embedded by the run's model: read from images (PNG files,
/// folders, wildcards, a list file) with their features kept for KID, or from saved reference statistics, which keep
/// only the mean and covariance and are refused when another model or preprocessing made them.
/// </summary>
internal sealed class ReferenceSet
{
    /// <summary>Images read and embedded at a time: the reference's pixels are never all held at once.</summary>
    private const int ChunkSize = 64;

    /// <summary>The largest list file read (a million paths).</summary>
    private const long MaxListBytes = 256L << 20;

    private ReferenceSet(FeatureStatistics statistics, IReadOnlyList<float[]>? features, string source)
    {
        Statistics = statistics;
        Features = features;
        Source = source;
    }

    public FeatureStatistics Statistics { get; }

    /// <summary>The reference's feature vectors; null when it was read from saved statistics (no KID then).</summary>
    public IReadOnlyList<float[]>? Features { get; }

    /// <summary>Where the reference came from, in words.</summary>
    public string Source { get; }

    /// <summary>Whether <paramref name="path"/> names saved reference statistics rather than images.</summary>
    public static bool IsStatisticsFile(string path) => path.EndsWith(ReferenceStatisticsFile.Extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the reference <paramref name="path"/> names and embeds its images with <paramref name="embedder"/>.</summary>
    public static ReferenceSet Load(string path, ImageEmbedder embedder, IDiversityObserver observer, CancellationToken cancellation)
    {
        var full = Path.GetFullPath(path);
        if (IsStatisticsFile(full))
        {
            var saved = ReferenceStatisticsFile.Read(full);
            saved.RequireSameEmbedding(embedder.ModelSha256(), embedder.Preprocessing.CacheKey, full);
            return new ReferenceSet(saved.Statistics, null, $"{full} ({saved.Source})");
        }
        var files = Files(full);
        observer.Verbose($"Embedding the {files.Count} reference images of '{full}'.");
        var features = new List<float[]>(files.Count);
        FeatureMoments? moments = null;
        for (int start = 0; start < files.Count; start += ChunkSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var images = files.Skip(start).Take(ChunkSize).Select(f => UnitImage.From(PngDecoder.Decode(Path.GetFullPath(f)).Image)).ToList();
            foreach (var vector in embedder.Features(images, progress: null, cancellation))
            {
                moments ??= new FeatureMoments(vector.Length);
                moments.Add(vector);
                features.Add(vector);
            }
        }
        return new ReferenceSet(moments!.ToStatistics("reference"), features, $"{files.Count} images of {full}");
    }

    /// <summary>Saves the reference's statistics with what made them, so later runs can compare with it without its images.</summary>
    public void Save(string path, ImageEmbedder embedder) => ReferenceStatisticsFile.Write(path,
        new ReferenceStatistics(Statistics, embedder.ModelSha256(), embedder.Preprocessing.CacheKey, Source));

    // A list file names one PNG file per line (relative to the list's folder; blank lines and # comments skipped); anything
    // else is expanded as the measured images are. Every named file must be there: a reference missing images is another reference.
    private static List<string> Files(string full)
    {
        bool isList = full.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || full.EndsWith(".lst", StringComparison.OrdinalIgnoreCase);
        var arguments = isList ? ListedFiles(full) : new List<string> { full };
        var (files, unmatched) = SampleFiles.Expand(arguments);
        if (unmatched.Count > 0)
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound,
                $"No PNG file matches '{unmatched[0]}'{(unmatched.Count > 1 ? $" (nor {unmatched.Count - 1} more)" : "")}, named by the reference set '{full}'.", unmatched[0]);
        }
        if (files.Count < 2)
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound,
                $"The reference set '{full}' has {files.Count} PNG image{(files.Count == 1 ? "" : "s")}; FID and KID need at least two " +
                "(and FID more than the embedding's dimension).", full);
        }
        return files;
    }

    private static List<string> ListedFiles(string listFile)
    {
        var text = Encoding.UTF8.GetString(InputFile.ReadAllBytes(listFile, "The reference list", MaxListBytes, HybridErrorKind.IOFailure));
        var folder = Path.GetDirectoryName(listFile)!;
        return text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => Path.GetFullPath(line, folder))
            .ToList();
    }
}
