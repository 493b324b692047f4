using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using HybridDiffusion.Models;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Tab completion for -BaseModel, -DistilledModel and -EmbeddingModel: model folders and .onnx files found in the
/// folders listed in $env:HYBRIDDIFFUSION_MODELS and the demo pair's cache. A typed path completes from its own folder.
/// </summary>
public sealed class ModelPathCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        var folder = Path.GetDirectoryName(word);
        var roots = string.IsNullOrEmpty(folder) ? ModelDirectories.Configured() : new[] { Path.GetFullPath(folder) }.Where(Directory.Exists).ToList();
        return ModelDirectories.Candidates(roots, Path.GetFileName(word)).Select(path =>
        {
            var text = path.Contains(' ') ? $"'{path.Replace("'", "''")}'" : path;
            return new CompletionResult(text, Path.GetFileName(path), CompletionResultType.ParameterValue, path);
        });
    }
}
