using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>Bad study input gets a specific message naming what was wrong (a key by its JSON path), and the CLI's documented exit code.</summary>
public sealed class StudyInputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, Action<JsonObject>, string> BadStudies => new()
    {
        { "unknown key", s => s["settings"]![1]!["stepz"] = 4, "$.settings[1].stepz is not a key of this object" },
        { "unknown top-level key", s => s["seed"] = 1, "$.seed is not a key" },
        { "wrong type", s => s["seeds"]!["count"] = "many", "$.seeds.count must be a whole number; got the string \"many\"" },
        { "wrong type in a sweep", s => s["settings"]![2]!["baseGuidance"] = new JsonArray(0, "high"), "$.settings[2].baseGuidance[1] must be a number" },
        { "empty prompt list", s => s["prompts"] = new JsonArray(), "$.prompts holds no prompt" },
        { "repeated prompt", s => s["prompts"] = new JsonArray("a", "a"), "repeats the prompt \"a\"" },
        { "one seed", s => s["seeds"]!["count"] = 1, "$.seeds.count must be at least 2" },
        { "unknown reference", s => s["reference"] = "hybrid", "names no setting: 'hybrid'" },
        { "unknown mode", s => s["settings"]![0]!["mode"] = "fast", "$.settings[0].mode is not one of hybrid, distilled" },
        { "bad base steps", s => s["settings"]![2]!["baseSteps"] = 9, "(setting 'hybrid baseGuidance=0')" },
        { "base steps on a base setting", s => s["settings"]![0]!["baseSteps"] = 2, "(setting 'base'): The base-model step count applies only to modes Hybrid and Reverse" },
        { "auto base steps on a base setting", s => s["settings"]![0]!["baseSteps"] = "auto", "(setting 'base'): Automatic base steps choose where mode Hybrid hands over" },
        { "a word for base steps", s => s["settings"]![2]!["baseSteps"] = "two", "$.settings[2].baseSteps is 'two'; give a whole number, a sweep of them, or \"auto\"" },
        { "duplicate setting names", s => s["settings"]!.AsArray().Add(new JsonObject { ["name"] = "BASE", ["mode"] = "base" }), "names 'base' twice" },
 { "CADS threshold out of range", s => s["settings"]![1]!["cads"] = new JsonObject { ["tau1"] = 2 }, "(setting 'distilled'): The CADS threshold τ1 is a fraction" },
        { "unknown CADS key", s => s["settings"]![1]!["cads"] = new JsonObject { ["tau"] = 0.5 }, "$.settings[1].cads.tau is not a key of this object" },
        { "noise without strength", s => s["settings"]![1]!["conditionNoise"] = new JsonObject { ["fraction"] = 0.5 }, "$.settings[1].conditionNoise.strength is required" },
        { "interval upside down", s => s["settings"]![0]!["guidanceInterval"] = new JsonObject { ["low"] = 5, ["high"] = 1 }, "(setting 'base'): The guidance interval's low σ (5) is above its high σ (1)" },
        { "embedding without a model", s => s["measure"]!["metrics"] = new JsonArray("embedding"), "$.measure.embedding is required" },
        { "reference without embedding", s => s["measure"]!["reference"] = ".", "$.measure.reference needs the embedding model" },
        { "missing reference", s => WithReference(s, "missing"), "$.measure.reference names '" },
        { "gate at zero", s => WithReference(s, ".")["maximumFid"] = 0, "$.measure.maximumFid must be above 0; got 0" },
        { "negative gate", s => WithReference(s, ".")["maximumKid"] = -1, "$.measure.maximumKid must be above 0; got -1" },
        { "gate without reference", s => s["measure"]!["maximumKid"] = 0.1, "$.measure.maximumKid gates FID and KID against a reference set" },
        { "seeds past the largest", s => s["seeds"]!["start"] = long.MaxValue - 4, "$.seeds runs past the largest seed" },
        { "negative first seed", s => s["seeds"]!["start"] = -1, "$.seeds.start must be a whole number ≥ 0" },
        { "too many seeds", s => s["seeds"]!["count"] = StudyChecks.MaxSeeds + 1, "$.seeds.count must be at most 100,000" },
        { "too many threads", s => s["threadCount"] = int.MaxValue, "$.threadCount must be 0 (one per core) to 1024" },
    };

    /// <summary>Text no JSON object model writes: a key twice, half a surrogate pair in a value and in a key.</summary>
    public static TheoryData<string, string, string, string> BadStudyTexts => new()
    {
        { "a key twice", "\"batchSize\": 4", "\"batchSize\": 4, \"batchSize\": 2", "$.batchSize appears twice" },
        { "half a surrogate pair in a prompt", "\"a blue square\"", "\"a blue \\ud800\"", "$.prompts[1] is not valid Unicode text" },
        { "half a surrogate pair in a key", "\"batchSize\": 4", "\"batchSize\": 4, \"x\\udc00\": 1", "$ is not valid Unicode text" },
    };

    [Theory]
    [MemberData(nameof(BadStudyTexts))]
    public void AStudyTextThatSaysTwoThingsOrIsNotUnicodeIsRefused(string what, string find, string replacement, string expected)
    {
        var text = StudyFixture.Small().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Assert.Contains(find, text);
        var path = _folder["text.json"];
        File.WriteAllText(path, text.Replace(find, replacement));

        var error = Assert.Throws<HybridDiffusionException>(() => StudyFile.Read(path));
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{what}: {error.Message}");
        Assert.Equal(SettingId.Study, error.Setting);
    }

    [Fact]
    public void APromptsFileThatIsNotUtf8IsRefused()
    {
        var prompts = _folder["prompts.txt"];
        File.WriteAllBytes(prompts, Encoding.UTF8.GetBytes("a red circle\na blue square\n").Concat(new byte[] { 0x61, 0xff, 0x0a }).ToArray());
        var study = StudyFixture.Small();
        study["prompts"] = new JsonObject { ["file"] = prompts };

        var error = Assert.Throws<HybridDiffusionException>(() => StudyFile.Read(StudyFixture.Write(_folder, study)));
        Assert.Contains($"Prompts file '{prompts}' is not UTF-8 text", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject WithReference(JsonObject study, string reference)
    {
        var measure = study["measure"]!.AsObject();
        measure["embedding"] = new JsonObject { ["model"] = DemoPair.Paths.EmbeddingModel };
        measure["reference"] = reference;
        return measure;
    }

    [Theory]
    [MemberData(nameof(BadStudies))]
    public void ABadStudyIsRefusedNamingTheKeyByItsPath(string what, Action<JsonObject> spoil, string expected)
    {
        var study = StudyFixture.Small();
        spoil(study);
        var path = StudyFixture.Write(_folder, study);

        var error = Assert.Throws<HybridDiffusionException>(() => StudyFile.Read(path));

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{what}: {error.Message}");
        Assert.Equal(SettingId.Study, error.Setting);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APromptsFileIsOnePromptALineOrACaptionsFileWithItsKey()
    {
        File.WriteAllText(_folder["prompts.txt"], "a red circle\n\n  a blue square  \na red circle\n");
        File.WriteAllText(_folder["captions.json"], """{"info":{"caption":"not this one"},"annotations":[{"image_id":1,"caption":"a cat"},{"image_id":2,"caption":"a dog"},{"image_id":3,"caption":"a cow"}]}""");
        var lines = StudyFixture.Small();
        lines["prompts"] = new JsonObject { ["file"] = "prompts.txt" };
        var captions = StudyFixture.Small();
        captions["prompts"] = new JsonObject { ["file"] = "captions.json", ["key"] = "caption", ["take"] = 3 };

        Assert.Equal(new[] { "a red circle", "a blue square" }, StudyFile.Read(StudyFixture.Write(_folder, lines)).Prompts);
        Assert.Equal(new[] { "not this one", "a cat", "a dog" }, StudyFile.Read(StudyFixture.Write(_folder, captions)).Prompts);
    }

    [Fact]
    public void SweepsExpandAsACrossProductNamedFromTheirValues()
    {
        var study = StudyFixture.Small();
        study["settings"] = new JsonArray(
            new JsonObject { ["name"] = "base", ["mode"] = "base" },
            new JsonObject { ["name"] = "hybrid", ["baseSteps"] = new JsonArray(1, 2), ["baseGuidance"] = new JsonArray(0, 7.5), ["steps"] = 4 });

        var settings = StudyFile.Read(StudyFixture.Write(_folder, study)).Settings;

        Assert.Equal(new[] { "base", "hybrid baseSteps=1 baseGuidance=0", "hybrid baseSteps=1 baseGuidance=7.5", "hybrid baseSteps=2 baseGuidance=0",
            "hybrid baseSteps=2 baseGuidance=7.5" }, settings.Select(s => s.Name));
        Assert.Equal(7.5f, settings[4].Settings.BaseGuidance);
        Assert.Equal(2, settings[4].Settings.BaseSteps);
    }

    [Fact]
    public void AutoBaseStepsAreASettingOfTheirOwnAndEnterTheHash()
    {
        var study = StudyFixture.Small();
        study["settings"] = new JsonArray(
            new JsonObject { ["name"] = "base", ["mode"] = "base" },
            new JsonObject { ["name"] = "hybrid", ["baseSteps"] = "Auto", ["baseGuidance"] = new JsonArray(0, 7.5), ["steps"] = 4 });
        var withAuto = StudyFile.Read(StudyFixture.Write(_folder, study));
        Assert.Equal(new[] { "base", "hybrid baseGuidance=0", "hybrid baseGuidance=7.5" }, withAuto.Settings.Select(s => s.Name));
        Assert.All(withAuto.Settings.Skip(1), s => Assert.True(s.Settings.AutoBaseSteps));
        Assert.False(withAuto.Settings[0].Settings.AutoBaseSteps);

        study["settings"]![1]!.AsObject().Remove("baseSteps");
        var withoutAuto = StudyFile.Read(StudyFixture.Write(_folder, study));
        Assert.NotEqual(StudyHash.Compute(withoutAuto), StudyHash.Compute(withAuto));
    }

    [Theory]
    [InlineData("5/4", "Shard 5/4 does not exist")]
    [InlineData("0/0", "at least 1")]
    [InlineData("1", "written I/N")]
    [InlineData("-1/4", "written I/N")]
    public void AShardThatDoesNotExistIsRefused(string shard, string expected)
    {
        var error = Assert.Throws<HybridDiffusionException>(() => ShardSelection.Resolve(shard, null, new System.Collections.Hashtable()));
        Assert.Equal(SettingId.Shard, error.Setting);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheShardComesFromTheCommandLineThenSlurmThenKubernetes()
    {
        var slurm = new System.Collections.Hashtable
        {
            ["SLURM_ARRAY_TASK_ID"] = "7", ["SLURM_ARRAY_TASK_MIN"] = "3", ["SLURM_ARRAY_TASK_STEP"] = "2", ["SLURM_ARRAY_TASK_COUNT"] = "4",
            ["JOB_COMPLETION_INDEX"] = "0",
        };
        var kubernetes = new System.Collections.Hashtable { ["JOB_COMPLETION_INDEX"] = "2", [ShardSelection.ShardCountVariable] = "3" };

        Assert.Equal(new ShardSpec(1, 2), ShardSelection.Resolve("1/2", null, slurm).Shard);
        Assert.Equal(new ShardSpec(2, 4), ShardSelection.Resolve(null, null, slurm).Shard);
        Assert.Contains("Slurm", ShardSelection.Resolve(null, null, slurm).Source, StringComparison.Ordinal);
        Assert.Equal(new ShardSpec(2, 3), ShardSelection.Resolve(null, null, kubernetes).Shard);
        Assert.Equal(new ShardSpec(2, 5), ShardSelection.Resolve(null, 5, kubernetes).Shard);
        Assert.Equal(ShardSpec.Whole, ShardSelection.Resolve(null, null, new System.Collections.Hashtable()).Shard);
        var noCount = Assert.Throws<HybridDiffusionException>(() => ShardSelection.Resolve(null, null, new System.Collections.Hashtable { ["JOB_COMPLETION_INDEX"] = "1" }));
        Assert.Equal(SettingId.ShardCount, noCount.Setting);
    }

    [Fact]
    public void TheCliRefusesBadInputWithExitTwoAndNoStackTrace()
    {
        var study = StudyFixture.Small();
        study["settings"]![0]!["guidance"] = "strong";
        var path = StudyFixture.Write(_folder, study);

        using var bad = new CliProcess("study", "run", path, "--output", _folder["out"]);
        Assert.Equal(2, bad.WaitForExit());
        Assert.Contains("$.settings[0].guidance must be a number", bad.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", bad.Errors, StringComparison.Ordinal);
        using var shard = new CliProcess("study", "run", StudyFixture.Write(_folder, StudyFixture.Small(), "good.json"), "--output", _folder["out"], "--shard", "4/4");
        Assert.Equal(2, shard.WaitForExit());
        Assert.Contains("--shard: Shard 4/4 does not exist", shard.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder["out"]));
    }
}
