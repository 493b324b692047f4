namespace HybridDiffusion.Core.Sampling;

/// <summary>Writes the conditioning rows of one UNet run into its binding: text, SDXL's pooled text and time ids, LCM's guidance embedding.</summary>
internal static class ConditioningWriter
{
    /// <param name="rows">One per batch row, in diffusers' order: every negative row, then every prompt row, when guided.</param>
    public static void Write(UNetModel unet, UNetBinding binding, IReadOnlyList<TextConditioning> rows, float guidance, int latentHeight, int latentWidth)
    {
        int hiddenSize = rows[0].HiddenStates.Length;
        float height = latentHeight * 8, width = latentWidth * 8;
        for (int r = 0; r < rows.Count; r++)
        {
            rows[r].HiddenStates.CopyTo(binding.HiddenStates[(r * hiddenSize)..]);
            if (unet.IsSdxl)
            {
                rows[r].Pooled.CopyTo(binding.TextEmbeds[(r * unet.PooledDim)..]);
                // time_ids = original size, crop top-left, target size, in pixels.
                new[] { height, width, 0f, 0f, height, width }.CopyTo(binding.TimeIds[(r * unet.TimeIdsCount)..]);
            }
            if (unet.TimestepCondDim > 0)
            {
                GuidanceEmbedding.Write(guidance, binding.TimestepCond.Slice(r * unet.TimestepCondDim, unet.TimestepCondDim));
            }
        }
        binding.CommitConditioning();
    }
}
