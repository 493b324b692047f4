using System.Text.Json;
using System.Text.Json.Nodes;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>Small studies on the demo pair, written as study files into a test's folder.</summary>
internal static class StudyFixture
{
    /// <summary>Two prompts, three settings (one a two-value sweep), six seeds in batches of four: 48 units, 16 batches.</summary>
    public static JsonObject Small() => new()
    {
        ["name"] = "small",
        ["models"] = new JsonObject { ["base"] = DemoPair.Paths.BaseModel, ["distilled"] = DemoPair.Paths.DistilledModel },
        ["prompts"] = new JsonArray("a red circle", "a blue square"),
        ["seeds"] = new JsonObject { ["start"] = 0, ["count"] = 6 },
        ["batchSize"] = 4,
        ["threadCount"] = 1,
        ["provider"] = "cpu",
        ["settings"] = new JsonArray(
            new JsonObject { ["name"] = "base", ["mode"] = "base", ["steps"] = 10 },
            new JsonObject { ["name"] = "distilled", ["mode"] = "distilled" },
            new JsonObject { ["name"] = "hybrid", ["mode"] = "hybrid", ["baseGuidance"] = new JsonArray(0, 5) }),
        ["reference"] = "base",
        ["measure"] = new JsonObject
        {
            ["metrics"] = new JsonArray("rms", "ssim"),
            ["trajectories"] = true,
            ["bootstrap"] = new JsonObject { ["resamples"] = 200, ["seed"] = 7 },
        },
    };

    public static string Write(TempFolder folder, JsonObject study, string name = "study.json")
    {
        var path = folder[name];
        File.WriteAllText(path, study.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
