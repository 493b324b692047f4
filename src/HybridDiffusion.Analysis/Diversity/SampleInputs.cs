namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// The images a measuring workflow gathers as a face hands them over (PNG files, folders, wildcards, generated images),
/// and the inputs that gave none: one that cannot be read is a problem of its own and the rest are still measured.
/// </summary>
internal sealed class SampleInputs
{
    private readonly List<DiversitySample> _samples = new();
    private readonly List<HybridDiffusionException> _problems = new();

    public IReadOnlyList<DiversitySample> Samples => _samples;

    /// <summary>The inputs that gave no sample, in the order met.</summary>
    public IReadOnlyList<HybridDiffusionException> Problems => _problems;

    /// <summary>Reads the PNG files the arguments name; returns the problems these arguments gave, the ones that matched nothing first.</summary>
    public IReadOnlyList<HybridDiffusionException> AddPaths(IEnumerable<string> arguments)
    {
        int known = _problems.Count;
        var (files, unmatched) = SampleFiles.Expand(arguments);
        _problems.AddRange(unmatched.Select(u => new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"No PNG file matches '{u}'.", u)));
        foreach (var file in files)
        {
            AddFile(file);
        }
        return _problems.Skip(known).ToList();
    }

    /// <summary>Reads one PNG file; the problem when it cannot be read (it is skipped), else null.</summary>
    public HybridDiffusionException? AddFile(string path)
    {
        try
        {
            _samples.Add(DiversitySample.FromPng(path));
            return null;
        }
        catch (HybridDiffusionException ex)
        {
            _problems.Add(ex);
            return ex;
        }
    }

    public void Add(GeneratedImage image) => _samples.Add(DiversitySample.FromGenerated(image));
}
