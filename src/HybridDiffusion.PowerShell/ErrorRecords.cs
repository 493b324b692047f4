using Microsoft.ML.OnnxRuntime;

namespace HybridDiffusion.PowerShell;

/// <summary>Turns engine errors, and the system's own failures beneath them, into ErrorRecords with an id, a category and a target.</summary>
internal static class ErrorRecords
{
    /// <summary>
    /// The record for an engine error. The engine names the setting an invalid argument concerns; where that setting is
    /// one of <paramref name="command"/>'s parameters, the message leads with the parameter as PowerShell spells it.
    /// </summary>
    public static ErrorRecord From(HybridDiffusionException ex, CommandInfo? command = null)
    {
        var record = new ErrorRecord(ex, "HybridDiffusion." + ex.Kind, Category(ex.Kind), ex.Target);
        if (ex.Setting is SettingId setting && ParameterNames.Spelling(setting) is string parameter
            && command?.Parameters.ContainsKey(parameter) == true && !ex.Message.Contains("-" + parameter, StringComparison.Ordinal))
        {
            record.ErrorDetails = new ErrorDetails($"-{parameter}: {ex.Message}");
        }
        return record;
    }

    /// <summary>
    /// The record of a failed CI gate (a measure beyond its minimum or maximum): written, not thrown, so every group is
    /// reported, with the report itself as its target object.
    /// </summary>
    /// <param name="target">What failed the gate (a group, a setting), as the exception's target.</param>
    public static ErrorRecord GateFailed(string message, string target, string errorId, object report) =>
        new(new HybridDiffusionException(HybridErrorKind.InvalidArgument, message, target), errorId, ErrorCategory.LimitsExceeded, report);

    public static ErrorCategory Category(HybridErrorKind kind) => kind switch
    {
        HybridErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        HybridErrorKind.ModelNotFound => ErrorCategory.ObjectNotFound,
        HybridErrorKind.InvalidModel => ErrorCategory.InvalidData,
        HybridErrorKind.UnsupportedModel => ErrorCategory.NotImplemented,
        HybridErrorKind.ProviderUnavailable => ErrorCategory.ResourceUnavailable,
        HybridErrorKind.InvalidImage => ErrorCategory.InvalidData,
        HybridErrorKind.IOFailure => ErrorCategory.WriteError,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>
    /// The record a cmdlet ends with for any failure: an engine error, a failure of the file system, memory or ONNX
    /// Runtime that reached it without an engine message, or (last resort) anything else the engine did not foresee,
    /// described in one line naming the cmdlet. Null only for a stop (Ctrl+C) and PowerShell's own exceptions, which
    /// pass through as PowerShell reports them.
    /// </summary>
    public static ErrorRecord? Terminating(Exception ex, CommandInfo command) => ex switch
    {
        HybridDiffusionException engine => From(engine, command),
        OperationCanceledException or RuntimeException => null,
        _ => FromSystemFailure(ex, command.Name),
    };

    /// <summary>
    /// Ends <paramref name="cmdlet"/> with <paramref name="record"/>; an unforeseen failure's whole exception goes to the
    /// verbose stream first (seen with -Verbose), since its one-line message is all the record shows.
    /// </summary>
    public static void ThrowTerminating(PSCmdlet cmdlet, ErrorRecord record)
    {
        if (record.FullyQualifiedErrorId == "HybridDiffusion." + UnexpectedFailure)
        {
            cmdlet.WriteVerbose(MessageText.Printable(record.Exception.ToString()));
        }
        cmdlet.ThrowTerminatingError(record);
    }

    private const string UnexpectedFailure = "UnexpectedFailure";

    private static ErrorRecord FromSystemFailure(Exception ex, string command)
    {
        var (id, category, what) = ex switch
        {
            UnauthorizedAccessException => ("AccessDenied", ErrorCategory.PermissionDenied, "was denied access to a file or folder"),
            IOException => ("IOFailure", ErrorCategory.WriteError, "could not read or write a file"),
            OutOfMemoryException => ("OutOfMemory", ErrorCategory.ResourceUnavailable, "ran out of memory"),
            OnnxRuntimeException => ("OnnxRuntimeFailure", ErrorCategory.InvalidResult, "failed inside ONNX Runtime"),
            _ => (UnexpectedFailure, ErrorCategory.NotSpecified, $"failed unexpectedly ({ex.GetType().Name}; -Verbose shows the details, please report it)"),
        };
        // The original exception stays in the record (for $Error[0].Exception); the message says which command and what
        // failed, in one printable line.
        var message = MessageText.Quote(ex.Message.Split('\n')[0].Trim(), 400);
        return new ErrorRecord(ex, "HybridDiffusion." + id, category, null) { ErrorDetails = new ErrorDetails($"{command} {what}: {message}") };
    }
}
