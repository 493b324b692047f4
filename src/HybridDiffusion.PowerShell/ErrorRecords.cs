using System.Management.Automation;

namespace HybridDiffusion.PowerShell;

/// <summary>Turns engine errors into ErrorRecords with an id, a category and the offending target.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(HybridDiffusionException ex) =>
        new(ex, "HybridDiffusion." + ex.Kind, Category(ex.Kind), ex.Target);

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
}
