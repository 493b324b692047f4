using System.Text.Json;
using System.Xml.Linq;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Analysis.Diversity.Distribution;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Demo;
using DataType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>
/// FID and KID of each group against a reference set, as both faces run them: the figures are those of the embedding
/// model's own vectors, saved statistics give the same FID, the gates fail, and every bad reference or setting is refused
/// with a message and the README's exit code.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DistributionWorkflowTests
{
    // More images than the demo embedding's 64 features in every set, so each covariance has full rank.
    private const int SetSize = DemoEmbedding.Dimensions + 8;
    private const string Prompt = "a red circle";

    private static readonly Lazy<List<GeneratedImage>> s_generated = new(() =>
        DemoPair.Generate(Prompt, GenerationMode.Base, Seeds(0)).Concat(DemoPair.Generate(Prompt, GenerationMode.Distilled, Seeds(0))).ToList());

    private static readonly Lazy<List<GeneratedImage>> s_reference = new(() => DemoPair.Generate(Prompt, GenerationMode.Base, Seeds(10_000)));

    [Fact]
    public void FidAndKidAreThoseOfTheModelsOwnVectorsAndSavedStatisticsGiveTheSameFid()
    {
        using var folder = new TempFolder();
        var reference = WriteReference(folder, s_reference.Value);
        var request = Request(reference) with { SaveReference = folder["reference.fidstats"], Metrics = new[] { DiversityMetric.Rms, DiversityMetric.Embedding } };

        var outcome = Measure(request, folder["junit.xml"]);

        Assert.Empty(outcome.Problems);
        Assert.Equal(new[] { "Base", "Distilled" }, outcome.Distributions.Select(d => d.Group));
        using var embedder = ImageEmbedder.Open(TestEngine.Shared, request.Embedding!);
        var referenceFeatures = Features(embedder, s_reference.Value);
        foreach (var report in outcome.Distributions)
        {
            var features = Features(embedder, s_generated.Value.Where(i => i.Mode.ToString() == report.Group).ToList());
            Assert.Equal(SetSize, report.Count);
            Assert.Equal(SetSize, report.ReferenceCount);
            Assert.Equal(DemoEmbedding.Dimensions, report.Dimension);
            Assert.Equal(FrechetDistance.Between(Statistics(features), Statistics(referenceFeatures)), report.Fid!.Value, 9);
            var kid = KernelDistance.Between(features, referenceFeatures);
            Assert.Equal(kid.Mean, report.Kid!.Value, 12);
            Assert.Equal(kid.StandardDeviation, report.KidStandardDeviation!.Value, 12);
            Assert.True(report.Passed);
        }
        // The distilled model's collapse moves its distribution away from the true one more than the base model's.
        Assert.True(outcome.Distributions[1].Fid > outcome.Distributions[0].Fid, string.Join(", ", outcome.Distributions.Select(d => d.Fid)));
        var suite = XDocument.Load(folder["junit.xml"]).Descendants("testsuite").Single(s => (string)s.Attribute("name")! == "diversity.distribution");
        Assert.Equal(2, (int)suite.Attribute("tests")!);

        var saved = ReferenceStatisticsFile.Read(folder["reference.fidstats"]);
        Assert.Equal(SetSize, saved.Statistics.Count);
        var again = Measure(Request(folder["reference.fidstats"]), junit: null);
        Assert.Equal(outcome.Distributions.Select(d => d.Fid!.Value), again.Distributions.Select(d => d.Fid!.Value), (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, a));
        Assert.All(again.Distributions, d => Assert.Null(d.Kid));
        Assert.All(again.Distributions, d => Assert.Contains(folder["reference.fidstats"], d.Reference));
    }

    [Fact]
    public void ASetComparedWithItselfHasNoDistanceAndTheGatesFailAboveTheirMaximum()
    {
        using var folder = new TempFolder();
        var reference = WriteReference(folder, s_reference.Value);
        var sameRequest = Request(reference) with { MaximumFid = 1e-3 };
        var workflow = new DiversityWorkflow(TestEngine.Shared, sameRequest, junitPath: null);
        workflow.AddPaths(new[] { reference });
        var same = Assert.Single(workflow.Measure().Distributions);
        // Zero up to rounding: the demo's true distribution is a few point masses, so its covariance is near singular
        // and a square root turns rounding of 1e-13 into 1e-7 (the distilled model's FID below is over 1).
        Assert.InRange(same.Fid!.Value, 0, 1e-5);
        Assert.True(same.Passed);

        var gated = Measure(Request(reference) with { MaximumFid = 1e-3, MaximumKid = 1e-12 }, junit: null);
        Assert.False(gated.Passed);
        var distilled = gated.Distributions.Single(d => d.Group == "Distilled");
        Assert.True(distilled.Fid > 1, $"{distilled.Fid}");
        Assert.Equal(2, distilled.Failures.Count);
        Assert.Contains("FID", distilled.Failures[0]);
        Assert.Contains("above the maximum", distilled.Failures[1]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(DemoEmbedding.Dimensions)]
    public void AReferenceWithNoMoreImagesThanFeaturesGetsKidAndAProblemThatSaysWhyThereIsNoFid(int count)
    {
        using var folder = new TempFolder();
        var reference = WriteReference(folder, s_reference.Value.Take(count).ToList());
        var outcome = Measure(Request(reference), junit: null);
        Assert.All(outcome.Distributions, d => Assert.Null(d.Fid));
        Assert.All(outcome.Distributions, d => Assert.True(double.IsFinite(d.Kid!.Value)));
        Assert.Equal(2, outcome.Problems.Count);
        Assert.All(outcome.Problems, p => Assert.Contains($"the reference set has {count} images of {DemoEmbedding.Dimensions} features, so its covariance is singular", p.Message));
        Assert.All(outcome.Problems, p => Assert.Contains($"Use at least {DemoEmbedding.Dimensions + 1} images", p.Message));
    }

    [Fact]
    public void SettingsThatNeedAReferenceOrItsFeaturesAreRefusedBeforeAnyImageIsRead()
    {
        var embedding = new EmbeddingOptions { ModelPath = DemoPair.Paths.EmbeddingModel };
        AssertRefused(SettingId.SaveReference, new DiversityRequest { Embedding = embedding, SaveReference = "r.fidstats" });
        AssertRefused(SettingId.MaximumFid, new DiversityRequest { Embedding = embedding, MaximumFid = 1 });
        AssertRefused(SettingId.MaximumKid, new DiversityRequest { Embedding = embedding, MaximumKid = 1 });
        AssertRefused(SettingId.EmbeddingModel, new DiversityRequest { ReferencePath = "reference" });
        AssertRefused(SettingId.MaximumFid, new DiversityRequest { Embedding = embedding, ReferencePath = "reference", MaximumFid = -1 });
        AssertRefused(SettingId.MaximumKid, new DiversityRequest { Embedding = embedding, ReferencePath = "r.fidstats", MaximumKid = 0.1 });
        AssertRefused(SettingId.SaveReference, new DiversityRequest { Embedding = embedding, ReferencePath = "r.fidstats", SaveReference = "s.fidstats" });
    }

    [Fact]
    public void StatisticsOfAnotherEmbeddingModelAreRefused()
    {
        using var folder = new TempFolder();
        var reference = WriteReference(folder, s_reference.Value);
        Measure(Request(reference) with { SaveReference = folder["reference.fidstats"] }, junit: null);
        File.WriteAllBytes(folder["other.onnx"], DemoEmbedding.Build(size: 32));
        var other = Request(folder["reference.fidstats"]) with { Embedding = new EmbeddingOptions { ModelPath = folder["other.onnx"] } };
        var refused = Assert.Throws<HybridDiffusionException>(() => Measure(other, junit: null));
        Assert.Equal(HybridErrorKind.InvalidArgument, refused.Kind);
        Assert.Contains("were made with embedding model SHA-256", refused.Message);
    }

    [Fact]
    public async Task TheCliPrintsTablesAndJsonGatesWithExitThreeAndRefusesBadReferences()
    {
        using var folder = new TempFolder();
        var reference = WriteReference(folder, s_reference.Value);
        var images = folder["images"];
        Directory.CreateDirectory(images);
        foreach (var (image, i) in s_generated.Value.Select((image, i) => (image, i)))
        {
            File.WriteAllBytes(Path.Combine(images, $"{i}.png"), PngEncoder.Encode(image.Image, image.Metadata()));
        }
        string[] common = { "diversity", images, "--group-by", "Mode", "--embedding-model", DemoPair.Paths.EmbeddingModel };

        var (code, output, errors) = await Cli(common, "--reference", reference, "--save-reference", folder["r.fidstats"]);
        Assert.True(code == 0, errors);
        Assert.Contains("FID", output);
        Assert.Contains("KID ± std", output);
        Assert.True(File.Exists(folder["r.fidstats"]));

        (code, output, errors) = await Cli(common, "--reference", folder["r.fidstats"], "--maximum-fid", "0", "--json", "--junit", folder["junit.xml"]);
        Assert.Equal(3, code);
        Assert.Contains("hybrid: FAIL: Group 'Distilled': FID", errors);
        var distribution = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("metric").GetString() == "distribution").ToList();
        Assert.Equal(2, distribution.Count);
        Assert.All(distribution, d => Assert.True(d.GetProperty("fid").GetDouble() > 0));
        Assert.All(distribution, d => Assert.Equal(JsonValueKind.Null, d.GetProperty("kid").ValueKind));
        Assert.Contains("DistributionAboveMaximum", File.ReadAllText(folder["junit.xml"]));

        (code, _, errors) = await Cli(common, "--reference", folder["r.fidstats"], "--maximum-kid", "0.1");
        Assert.Equal(2, code);
        Assert.Contains("--maximum-kid: KID needs the reference images' features", errors);
        (code, _, errors) = await Cli(new[] { "diversity", images }, "--reference", reference);
        Assert.Equal(2, code);
        Assert.Contains("--embedding-model: FID and KID compare image embeddings", errors);
        Directory.CreateDirectory(folder["empty"]);
        (code, _, errors) = await Cli(common, "--reference", folder["empty"]);
        Assert.Equal(1, code);
        Assert.Contains($"No PNG file matches '{folder["empty"]}'", errors);
        File.WriteAllText(folder["none.txt"], "# no images yet\n");
        (code, _, errors) = await Cli(common, "--reference", folder["none.txt"]);
        Assert.Equal(1, code);
        Assert.Contains("has 0 PNG images; FID and KID need at least two", errors);
        File.WriteAllText(folder["list.txt"], "# the reference\nmissing.png\n");
        (code, _, errors) = await Cli(common, "--reference", folder["list.txt"]);
        Assert.Equal(1, code);
        Assert.Contains($"No PNG file matches '{folder["missing.png"]}'", errors);
        Assert.DoesNotContain("   at ", errors);
    }

    [Fact]
    public void AListFileNamesTheReferenceImagesRelativeToItsFolder()
    {
        using var folder = new TempFolder();
        var reference = WriteReference(folder, s_reference.Value);
        File.WriteAllLines(folder["list.txt"], Directory.GetFiles(reference).Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(folder.Path, f)).Prepend("# reference images").Append(""));
        var byList = Measure(Request(folder["list.txt"]), junit: null);
        var byFolder = Measure(Request(reference), junit: null);
        Assert.Equal(byFolder.Distributions.Select(d => d.Fid), byList.Distributions.Select(d => d.Fid));
        Assert.Equal(byFolder.Distributions.Select(d => d.Kid), byList.Distributions.Select(d => d.Kid));
    }

    [Fact]
    public async Task AnEmbeddingModelWhoseOutputIsNotOneVectorPerImageIsAModelProblem()
    {
        using var folder = new TempFolder();
        var reference = WriteReference(folder, s_reference.Value.Take(4).ToList());
        var g = new OnnxGraphBuilder("flat_embedding");
        var input = g.Input("pixel_values", DataType.Float, "batch", 3, 8, 8);
        g.Alias(g.Node("Reshape", new[] { input, g.Ints(-1) }), "image_embeds");
        g.Output("image_embeds", DataType.Float, "n");
        File.WriteAllBytes(folder["flat.onnx"], g.ToBytes());
        var (code, _, errors) = await Cli(new[] { "diversity", reference, "--embedding-model", folder["flat.onnx"], "--embedding-batch-size", "2" }, "--reference", reference);
        Assert.Equal(1, code);
        Assert.Contains("expected float32 [2, D] (one embedding per image)", errors);
    }

    private static IEnumerable<long> Seeds(long first) => Enumerable.Range(0, SetSize).Select(i => first + i);

    private static DiversityRequest Request(string reference) => new()
    {
        GroupBy = "Mode",
        Embedding = new EmbeddingOptions { ModelPath = DemoPair.Paths.EmbeddingModel },
        ReferencePath = reference,
    };

    private static DiversityOutcome Measure(DiversityRequest request, string? junit)
    {
        var workflow = new DiversityWorkflow(TestEngine.Shared, request, junit);
        foreach (var image in s_generated.Value)
        {
            workflow.Add(image);
        }
        var outcome = workflow.Measure();
        workflow.WriteJUnit(outcome);
        return outcome;
    }

    private static string WriteReference(TempFolder folder, IReadOnlyList<GeneratedImage> images)
    {
        var reference = folder["reference"];
        Directory.CreateDirectory(reference);
        for (int i = 0; i < images.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(reference, $"{i:D3}.png"), PngEncoder.Encode(images[i].Image, images[i].Metadata()));
        }
        return reference;
    }

    private static float[][] Features(ImageEmbedder embedder, IReadOnlyList<GeneratedImage> images) =>
        embedder.Features(images.Select(i => UnitImage.From(i.Image)).ToList(), null, CancellationToken.None);

    private static FeatureStatistics Statistics(IEnumerable<float[]> features)
    {
        var moments = new FeatureMoments(DemoEmbedding.Dimensions);
        foreach (var vector in features)
        {
            moments.Add(vector);
        }
        return moments.ToStatistics("test");
    }

    private static void AssertRefused(SettingId setting, DiversityRequest request)
    {
        var refused = Assert.Throws<HybridDiffusionException>(() => new DiversityWorkflow(TestEngine.Shared, request, junitPath: null));
        Assert.Equal(setting, refused.Setting);
    }

    private static Task<(int Code, string Output, string Errors)> Cli(string[] first, params string[] rest) =>
        DiversityInputTests.Cli(first.Concat(rest).ToArray());
}
