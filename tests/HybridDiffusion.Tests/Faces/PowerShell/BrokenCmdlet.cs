using System.Management.Automation;

namespace HybridDiffusion.Tests.Faces.PowerShell;

/// <summary>Breaks the module's rules on purpose (unapproved verb, plural noun, no OutputType), for ModuleChecksTests.</summary>
[Cmdlet("Frobnicate", "Widgets")]
public sealed class BrokenCmdlet : PSCmdlet
{
    [Parameter]
    public string? Name { get; set; }
}
