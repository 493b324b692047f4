namespace HybridDiffusion.Cli;

/// <summary>The CLI's exit codes: scripts and CI jobs branch on them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidArgument = 2;

    /// <summary>`hybrid diversity`: a group fell below --minimum-distance or --minimum-vendi.</summary>
    public const int GateFailed = 3;
    public const int Cancelled = 130;

    /// <summary>
    /// Runs a verb's body, turning every failure into a message on stderr and an exit code: never a stack trace.
    /// Engine errors say what to do; anything else is a failure the engine did not foresee, reported in one line that
    /// names the verb (with the whole exception under --verbose) and exit 1.
    /// </summary>
    public static int Guard(ParseResult result, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine((Console.IsErrorRedirected ? "" : Environment.NewLine) + "hybrid: cancelled; no partial files were left behind.");
            return Cancelled;
        }
        catch (HybridDiffusionException ex)
        {
            Console.Error.WriteLine($"hybrid: error: {CliOptionNames.Render(ex, result)}");
            return ex.Kind == HybridErrorKind.InvalidArgument ? InvalidArgument : Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"hybrid: error: {MessageText.Printable(ex.Message)}");
            return Failure;
        }
        catch (OutOfMemoryException)
        {
            Console.Error.WriteLine("hybrid: error: out of memory; make fewer or smaller images per run (--batch-size, --width, --height).");
            return Failure;
        }
        catch (Exception ex)
        {
            bool verbose = IsVerbose(result);
            var firstLine = ex.Message.Split('\n')[0].Trim();
            Console.Error.WriteLine($"hybrid: error: {Operation(result)} failed unexpectedly ({ex.GetType().Name}: {MessageText.Quote(firstLine, 300)})" +
                (verbose ? "; the details follow. Please report it."
                    : VerboseOption(result) is null ? ". Please report it." : ". Run it again with --verbose for the details, and please report it."));
            if (verbose)
            {
                foreach (var line in ex.ToString().Split('\n'))
                {
                    Console.Error.WriteLine("verbose: " + MessageText.Printable(line.TrimEnd('\r')));
                }
            }
            return Failure;
        }
    }

    // "new-image", "bench memory": the verb as typed.
    private static string Operation(ParseResult result)
    {
        var names = new List<string>();
        for (var command = result.CommandResult; command is not null && command.Command is not RootCommand; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, command.Command.Name);
        }
        return names.Count == 0 ? "hybrid" : string.Join(' ', names);
    }

    private static bool IsVerbose(ParseResult result) => VerboseOption(result) is { } verbose && result.GetValue(verbose);

    // Not every verb has --verbose (bench's do not): the advice to use it is given only where it exists.
    private static Option<bool>? VerboseOption(ParseResult result) =>
        result.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--verbose") as Option<bool>;
}
