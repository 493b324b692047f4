namespace HybridDiffusion.Core.Onnx;

/// <summary>
/// ONNX Runtime's failures in a session run, as the engine reports them: a graph that does not fit its role's
/// contract (an output of another shape, an index past a table), or one that asks for more memory than there is, is
/// an error naming the model; a run stopped through its RunOptions is a cancellation. Callers catch
/// <see cref="OnnxRuntimeException"/> around the run and throw what <see cref="Of"/> returns (no delegate per run: the
/// UNet runs once a step).
/// </summary>
internal static class OrtFailure
{
    /// <param name="doing">What the run was for, in words ("denoising", "decoding latents").</param>
    public static Exception Of(OnnxRuntimeException ex, string modelPath, string doing, RunOptions runOptions) =>
        runOptions.Terminate
            ? new OperationCanceledException("The run was stopped.", ex)
            : new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"'{modelPath}' failed in ONNX Runtime while {doing}: {MessageText.Quote(FirstLine(ex.Message), 400)} " +
                "Check that the model is an export of the right kind for this role (and of the same family as the rest of the pair), " +
                "or make fewer or smaller images if it ran out of memory.", modelPath, ex);

    /// <summary>The first line of ONNX Runtime's message: the rest is its stack.</summary>
    public static string FirstLine(string text)
    {
        var end = text.IndexOf('\n');
        return (end < 0 ? text : text[..end]).Trim();
    }
}
