using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Accepts a scheduler name as <see cref="SchedulerKinds"/> spells it (any case) and refuses any other with the engine's
/// message, which lists the names. It reads the one list (a ValidateSet would spell it again), and
/// <see cref="SchedulerCompleter"/> offers the same names.
/// </summary>
public sealed class ValidateSchedulerNameAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        var name = element?.ToString() ?? "";
        if (!SchedulerKinds.TryParse(name, out _))
        {
            throw new ValidationMetadataException(SchedulerKinds.NotKnown(name));
        }
    }
}
