using System.Collections;
using System.Management.Automation.Language;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Tab completion for Measure-SampleDiversity -GroupBy: the properties every image has (the PNG text keys this tool
/// writes, which in-memory images carry too) and, for files, File and Directory. Any other PNG text key still works.
/// </summary>
public sealed class GroupByCompleter : IArgumentCompleter
{
    private static readonly string[] s_properties =
    {
        "Prompt", "Mode", "Seed", "Sliders", "Plan", "Steps", "Guidance", "Scheduler", "Size", "BaseModel", "DistilledModel", "File", "Directory",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        return s_properties.Where(p => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p, p, CompletionResultType.ParameterValue, p))
            .ToList();
    }
}
