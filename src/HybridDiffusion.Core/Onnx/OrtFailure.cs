using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts;

namespace HybridDiffusion.Core.Onnx;

/// <summary>
/// Runs of an ONNX Runtime session whose failures become the engine's error naming the model: a graph that does not
/// fit its role's contract (an output of another shape, an index past a table), or one that asks for more memory than
/// there is, fails with a message instead of ONNX Runtime's exception. A run stopped through its RunOptions is a
/// cancellation.
/// </summary>
internal static class OrtFailure
{
    /// <param name="doing">What the run was for, in words ("denoising", "decoding latents").</param>
    public static T Guard<T>(string modelPath, string doing, RunOptions runOptions, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (OnnxRuntimeException ex) when (runOptions.Terminate)
        {
            throw new OperationCanceledException("The run was stopped.", ex);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"'{modelPath}' failed in ONNX Runtime while {doing}: {MessageText.Quote(FirstLine(ex.Message), 400)} " +
                "Check that the model is an export of the right kind for this role (and of the same family as the rest of the pair), " +
                "or make fewer or smaller images if it ran out of memory.", modelPath, ex);
        }
    }

    public static void Guard(string modelPath, string doing, RunOptions runOptions, Action run) =>
        Guard(modelPath, doing, runOptions, () =>
        {
            run();
            return true;
        });

    /// <summary>The first line of ONNX Runtime's message: the rest is its stack.</summary>
    public static string FirstLine(string text)
    {
        var end = text.IndexOf('\n');
        return (end < 0 ? text : text[..end]).Trim();
    }
}
