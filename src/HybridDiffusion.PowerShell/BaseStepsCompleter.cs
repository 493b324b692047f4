using System.Collections;
using System.Management.Automation.Language;

namespace HybridDiffusion.PowerShell;

/// <summary>Tab completion for -BaseSteps: Auto (any number is accepted too), as the CLI's --base-steps completes auto.</summary>
public sealed class BaseStepsCompleter : IArgumentCompleter
{
    // The engine's word, capitalised as PowerShell values are.
    private static readonly string Auto = char.ToUpperInvariant(BaseStepsArgument.Auto[0]) + BaseStepsArgument.Auto[1..];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Auto.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase)
            ? new[] { new CompletionResult(Auto, Auto, CompletionResultType.ParameterValue, "Chosen per prompt by a probe of the models") }
            : Array.Empty<CompletionResult>();
}
