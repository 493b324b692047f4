using HybridDiffusion.Sliders;

namespace HybridDiffusion.Demo;

/// <summary>
/// The demo pair's "warmth" slider, trained (by construction) on the base model: a rank-1 update of the prompt-logit
/// layer's constant row that raises red and yellow scenes' log-weight and lowers blue and green ones, one nat per unit
/// of strength. Both demo UNets share that layer, so the slider transfers to the distilled model unchanged.
/// </summary>
public static class DemoSlider
{
    /// <summary>The module the slider targets: the demo UNets' "/prompt_prior/MatMul".</summary>
    public const string Module = "prompt_prior";

    public static byte[] Warmth()
    {
        var attributes = DemoWorld.AttributeNames;
        var scenes = DemoWorld.Scenes;
        // down selects the constant input (the last of the features); up gives each scene its shift.
        var down = new float[attributes.Count + 1];
        down[^1] = 1f;
        var up = scenes.Select(s => s.Colour is "red" or "yellow" ? 1f : -1f).ToArray();
        return SafeTensors.Write(new[]
        {
            ($"lora_unet_{Module}.lora_down.weight", new long[] { 1, down.Length }, down),
            ($"lora_unet_{Module}.lora_up.weight", new long[] { up.Length, 1 }, up),
            ($"lora_unet_{Module}.alpha", Array.Empty<long>(), new[] { 1f }),
        }, new Dictionary<string, string> { ["name"] = "warmth", ["trained_on"] = "hybrid-demo-base" });
    }
}
