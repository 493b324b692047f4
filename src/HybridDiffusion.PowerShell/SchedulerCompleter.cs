using System.Collections;
using System.Management.Automation.Language;
using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.PowerShell;

/// <summary>Tab completion for -Scheduler: the names <see cref="SchedulerKinds"/> spells, which the CLI's --scheduler completes too.</summary>
public sealed class SchedulerCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        return SchedulerKinds.Names.Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name))
            .ToList();
    }
}
