using System.Collections;
using System.Management.Automation.Language;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Demo;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Tab completion for -BaseModel, -DistilledModel and -EmbeddingModel. A typed path completes like any path, relative
/// to PowerShell's current location ($PWD, not the process directory) and with ~ for the home folder: its folders (to
/// navigate on), model folders and .onnx files. A bare name also offers the model folders and .onnx files found in
/// $env:HYBRIDDIFFUSION_MODELS and the demo pair's cache.
/// </summary>
public sealed class ModelPathCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        // What the user typed up to the last separator is kept as typed (relative stays relative, ~ stays ~).
        int cut = word.LastIndexOfAny(new[] { '/', Path.DirectorySeparatorChar }) + 1;
        var typedFolder = word[..cut];
        var prefix = word[cut..];
        var folder = Path.Combine(CurrentLocation(), ExpandHome(typedFolder));
        var local = Entries(folder, prefix).Select(entry => Result(typedFolder + entry.Name, entry));
        var configured = typedFolder.Length == 0 && !word.StartsWith('~')
            ? ModelDirectories.Candidates(ModelDirectories.Configured(DemoModels.DefaultRoot), prefix)
                .Select(path => Result(path, (Path.GetFileName(path), Directory.Exists(path), IsModel: true)))
            : Enumerable.Empty<CompletionResult>();
        return local.Concat(configured).ToList();
    }

    // Folders (a model folder is final; any other is a step on the way, so it gets a trailing separator) and .onnx files.
    private static IEnumerable<(string Name, bool IsFolder, bool IsModel)> Entries(string folder, string prefix)
    {
        if (!Directory.Exists(folder))
        {
            return Array.Empty<(string, bool, bool)>();
        }
        try
        {
            var folders = Directory.EnumerateDirectories(folder)
                .Select(d => (Name: Path.GetFileName(d), IsFolder: true, IsModel: ModelDirectories.IsModelFolder(d)));
            var files = Directory.EnumerateFiles(folder, "*.onnx").Select(f => (Name: Path.GetFileName(f), IsFolder: false, IsModel: true));
            return folders.Concat(files)
                .Where(e => e.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (prefix.StartsWith('.') || !e.Name.StartsWith('.')))
                .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Completion must never fail because a folder is unreadable.
            return Array.Empty<(string, bool, bool)>();
        }
    }

    private static CompletionResult Result(string path, (string Name, bool IsFolder, bool IsModel) entry)
    {
        var completion = entry.IsFolder && !entry.IsModel ? path + Path.DirectorySeparatorChar : path;
        var text = completion.Contains(' ') || completion.Contains('\'') ? $"'{completion.Replace("'", "''")}'" : completion;
        var type = entry.IsFolder ? CompletionResultType.ProviderContainer : CompletionResultType.ProviderItem;
        return new CompletionResult(text, entry.Name, type, completion);
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;

    // Completion runs inside the runspace's pipeline (TabExpansion2), where SessionStateProxy refuses concurrent calls;
    // a script block runs in that pipeline's own session state and reads the current location directly.
    private static string CurrentLocation() =>
        ScriptBlock.Create("$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath").Invoke().FirstOrDefault()?.BaseObject as string
        ?? Environment.CurrentDirectory;
}
