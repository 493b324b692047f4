namespace HybridDiffusion.Contracts;

/// <summary>What kind of failure an engine error is; the cmdlets map it to an ErrorCategory, the CLI to an exit code.</summary>
public enum HybridErrorKind
{
    InvalidArgument,
    ModelNotFound,
    InvalidModel,
    UnsupportedModel,
    ProviderUnavailable,
    InvalidImage,
    IOFailure,
}
