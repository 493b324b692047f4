using HybridDiffusion.Contracts.Onnx;

namespace HybridDiffusion.Cli;

/// <summary>
/// What `hybrid adherence` and `hybrid diversity` share, as their PowerShell cmdlets share ImageInputCmdlet: the images
/// measured, --junit, --json, --verbose and --provider. Each verb adds them to its command in its own order.
/// </summary>
internal sealed class ImageInputCliOptions
{
    /// <param name="jsonPrints">What --json prints, for its --help.</param>
    /// <param name="providerFor">The models --provider places, for its --help.</param>
    public ImageInputCliOptions(string jsonPrints, string providerFor)
    {
        Json = new("--json") { Description = "Print " + jsonPrints };
        Provider = new("--provider") { Description = $"For {providerFor}: auto (CUDA, else CPU), cuda or cpu.", DefaultValueFactory = _ => GenerationRequest.Defaults.Provider };
    }

    public Argument<string[]> Images { get; } = new("images") { Description = "PNG files, folders (their *.png) or wildcards such as out/*.png.", Arity = ArgumentArity.OneOrMore };

    public Option<string?> JUnit { get; } = new("--junit") { Description = "Write a JUnit XML report to this file (for CI test views)." };

    public Option<bool> Json { get; }

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Print what the engine does." };

    public Option<ExecutionProvider> Provider { get; }
}
