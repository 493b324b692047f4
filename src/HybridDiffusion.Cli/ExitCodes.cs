using System.CommandLine;
using HybridDiffusion.Contracts;

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

    /// <summary>Runs a verb's body, turning engine errors into a message on stderr and an exit code.</summary>
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
            Console.Error.WriteLine($"hybrid: error: {ex.Message}");
            return Failure;
        }
        catch (OutOfMemoryException)
        {
            Console.Error.WriteLine("hybrid: error: out of memory; make fewer or smaller images per run (--batch-size, --width, --height).");
            return Failure;
        }
    }
}
