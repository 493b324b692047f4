using System.Text;

namespace HybridDiffusion.Cli;

/// <summary>
/// Names the option behind an engine error in the CLI's spelling: the engine says which setting was wrong through
/// <see cref="HybridDiffusionException.Setting"/> (e.g. <see cref="SettingId.BaseSteps"/>), and the CLI shows it as the
/// verb's own option (--base-steps), so no message carries another face's parameter names.
/// </summary>
internal static class CliOptionNames
{
    /// <summary>
    /// The error's message, led by the verb's option it concerns when the verb has that option and the message (written
    /// by the CLI itself) does not already name it.
    /// </summary>
    public static string Render(HybridDiffusionException error, ParseResult result)
    {
        if (error.Setting is not SettingId setting || For(setting, result.CommandResult.Command) is not string option
            || error.Message.Contains(option, StringComparison.Ordinal))
        {
            return error.Message;
        }
        return $"{option}: {error.Message}";
    }

    /// <summary>The option of <paramref name="verb"/> that a setting is given by, or null when the verb has none.</summary>
    public static string? For(SettingId setting, Command verb) =>
        Spelling(setting) is string name && verb.Options.Any(o => o.Name == name) ? name : null;

    /// <summary>How the CLI spells a setting's option; null for the settings it gives no option.</summary>
    public static string? Spelling(SettingId setting) => setting switch
    {
        SettingId.OutputDirectory => "--output",
        SettingId.PictureDirectory => "--pictures",
        SettingId.JUnit => "--junit",
        SettingId.BootstrapResamples => "--bootstrap",
        SettingId.NoiseSource => "--noise",
        SettingId.InitialLatents => "--latents",
        SettingId.SliderStrength or SettingId.SliderStart => "--slider",
        // Positional arguments (their messages say what is missing), and what neither face exposes.
        SettingId.Prompt or SettingId.Path or SettingId.Study or SettingId.ConfidenceLevel or SettingId.RecordedNoise or SettingId.DemoCache => null,
        _ => "--" + Kebab(setting.ToString()),
    };

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
