namespace HybridDiffusion.Core.Models;

/// <summary>A prompt's conditioning: hidden states [tokens, Dim] for cross-attention and a pooled embedding.</summary>
internal sealed record TextConditioning(float[] HiddenStates, int SequenceLength, int Dim, float[] Pooled);

/// <summary>
/// Turns a prompt into UNet conditioning. One encoder (SD 1.5/2.1): its last hidden state. Two encoders (SDXL): the
/// penultimate hidden states of both, concatenated per token (768 + 1280 = 2048 for SDXL), and the second encoder's
/// pooled text_embeds. SDXL pipelines condition a missing negative prompt on zeros instead of encoding "".
/// </summary>
internal sealed class PromptEncoder
{
    public PromptEncoder(TextEncoder first, TextEncoder? second, bool zeroEmptyNegativePrompt)
    {
        First = first;
        Second = second;
        ZeroEmptyNegativePrompt = zeroEmptyNegativePrompt;
        foreach (var encoder in second is null ? Array.Empty<TextEncoder>() : new[] { first, second })
        {
            if (!encoder.HasPenultimate)
            {
                throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                    $"'{encoder.ModelPath}' has no hidden_states.N outputs; an SDXL text encoder must export its hidden states " +
                    "(SDXL conditions on the penultimate layer).", encoder.ModelPath);
            }
        }
    }

    public TextEncoder First { get; }

    public TextEncoder? Second { get; }

    /// <summary>
    /// No negative prompt (null) becomes zero conditioning (diffusers' force_zeros_for_empty_prompt: only when none is
    /// given; an explicit "" is encoded like any prompt).
    /// </summary>
    public bool ZeroEmptyNegativePrompt { get; }

    /// <summary>Zero conditioning shaped like <paramref name="like"/> when <paramref name="negativePrompt"/> is missing and this
    /// encoder zeroes it; null when the negative prompt is to be encoded (a missing one as "").</summary>
    public TextConditioning? NegativeFor(string? negativePrompt, TextConditioning like) =>
        negativePrompt is null && ZeroEmptyNegativePrompt ? Zeros(like) : null;

    public TextConditioning Encode(string prompt, RunOptions runOptions)
    {
        var first = First.Encode(prompt, runOptions);
        if (Second is null)
        {
            return new TextConditioning(first.LastHiddenState, first.Tokens, first.Dim, first.Pooled ?? Array.Empty<float>());
        }
        var second = Second.Encode(prompt, runOptions);
        if (second.Tokens != first.Tokens)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"The text encoders give {first.Tokens} and {second.Tokens} tokens; SDXL's two encoders must agree.", Second.ModelPath);
        }
        int dim = first.Dim + second.Dim;
        var hidden = new float[first.Tokens * dim];
        for (int t = 0; t < first.Tokens; t++)
        {
            first.Penultimate.AsSpan(t * first.Dim, first.Dim).CopyTo(hidden.AsSpan(t * dim));
            second.Penultimate.AsSpan(t * second.Dim, second.Dim).CopyTo(hidden.AsSpan(t * dim + first.Dim));
        }
        return new TextConditioning(hidden, first.Tokens, dim, second.Pooled ?? throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
            $"'{Second.ModelPath}' has no text_embeds output; SDXL's second text encoder provides the pooled embedding.", Second.ModelPath));
    }

    /// <summary>Zero conditioning shaped like <paramref name="like"/>.</summary>
    public static TextConditioning Zeros(TextConditioning like) =>
        new(new float[like.HiddenStates.Length], like.SequenceLength, like.Dim, new float[like.Pooled.Length]);
}
