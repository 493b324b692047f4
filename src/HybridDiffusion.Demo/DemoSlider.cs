using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Demo;

/// <summary>
/// The demo pair's "warmth" slider, trained (by construction) on the base model. It is rank 1 on two Linear layers that
/// both demo UNets share, so it transfers to the distilled model unchanged: on the prompt-logit layer's constant row it
/// raises red and yellow scenes' log-weight and lowers blue and green ones, one nat per unit of strength (which scene is
/// drawn); on the colour-tint layer's constant row, zero in the shipped models, it adds red and takes away blue in the
/// predicted clean latent (how warm the drawn scene looks), so the picture moves with the strength in either direction
/// even where the prompt leaves no warmer or cooler scene to choose.
/// </summary>
internal static class DemoSlider
{
    /// <summary>The prompt-logit module the slider targets: the demo UNets' "/prompt_prior/MatMul".</summary>
    public const string Module = "prompt_prior";

    /// <summary>The colour-tint module the slider targets: the demo UNets' "/colour_tint/MatMul".</summary>
    public const string TintModule = "colour_tint";

    /// <summary>Red added to (and blue taken from) the predicted clean latent per unit of strength, in diffusion-latent units.</summary>
    public const float TintPerUnit = 0.8f;

    public static byte[] Warmth()
    {
        var attributes = DemoWorld.AttributeNames;
        var scenes = DemoWorld.Scenes;
        // down selects the constant input (the last of the features); up gives each scene its shift, and each latent
        // channel its tint (red up, blue down; green and the code channel untouched).
        var down = new float[attributes.Count + 1];
        down[^1] = 1f;
        var up = scenes.Select(s => s.Colour is "red" or "yellow" ? 1f : -1f).ToArray();
        var tint = new float[DemoWorld.LatentChannels];
        tint[0] = TintPerUnit;
        tint[2] = -TintPerUnit;
        return SafeTensors.Write(new[]
        {
            ($"lora_unet_{Module}.lora_down.weight", new long[] { 1, down.Length }, down),
            ($"lora_unet_{Module}.lora_up.weight", new long[] { up.Length, 1 }, up),
            ($"lora_unet_{Module}.alpha", Array.Empty<long>(), new[] { 1f }),
            ($"lora_unet_{TintModule}.lora_down.weight", new long[] { 1, down.Length }, down),
            ($"lora_unet_{TintModule}.lora_up.weight", new long[] { tint.Length, 1 }, tint),
            ($"lora_unet_{TintModule}.alpha", Array.Empty<long>(), new[] { 1f }),
        }, new Dictionary<string, string> { ["name"] = "warmth", ["trained_on"] = "hybrid-demo-base" });
    }
}
