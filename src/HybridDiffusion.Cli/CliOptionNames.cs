using System.CommandLine;
using System.Text;
using HybridDiffusion.Contracts;

namespace HybridDiffusion.Cli;

/// <summary>
/// Names the option behind an engine error in the CLI's spelling: the engine says which setting was wrong through
/// <see cref="HybridDiffusionException.Target"/> (e.g. "BaseSteps"), and the CLI shows it as the verb's own option
/// (--base-steps), so no message carries another face's parameter names.
/// </summary>
internal static class CliOptionNames
{
    // Engine targets whose CLI option is not simply the kebab-case of the name.
    private static readonly Dictionary<string, string> s_renamed = new(StringComparer.Ordinal)
    {
        ["OutputDirectory"] = "--output",
        ["PictureDirectory"] = "--pictures",
        ["JUnit"] = "--junit",
        ["BootstrapResamples"] = "--bootstrap",
        ["StartAtTimestep"] = "--slider",
        ["Timesteps"] = "--plan",
    };

    /// <summary>
    /// The error's message, led by the verb's option it concerns when the verb has one of that name and the message
    /// (written by the CLI itself) does not already name it.
    /// </summary>
    public static string Render(HybridDiffusionException error, ParseResult result)
    {
        if (error.Kind != HybridErrorKind.InvalidArgument || error.Target is not string target || For(target, result) is not string option
            || error.Message.Contains(option, StringComparison.Ordinal))
        {
            return error.Message;
        }
        return $"{option}: {error.Message}";
    }

    /// <summary>The option of the invoked verb that an engine target names, or null when the verb has none.</summary>
    public static string? For(string target, ParseResult result)
    {
        var name = s_renamed.TryGetValue(target, out var renamed) ? renamed : "--" + Kebab(target);
        return result.CommandResult.Command.Options.Any(o => o.Name == name) ? name : null;
    }

    private static string Kebab(string pascal)
    {
        var text = new StringBuilder();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('-');
            }
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
