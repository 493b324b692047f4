using HybridDiffusion.Analysis.Diversity;

// Core's namespace on purpose: Analysis.Diversity already depends on Core.Sampling, so this reference closes a namespace
// cycle as well as pointing the wrong way. ArchitectureTests loads it on top of the real assemblies; nothing calls it.
namespace HybridDiffusion.Core.Sampling;

/// <summary>A deliberate reverse dependency, Core reaching up into Analysis, that the architecture rules must reject.</summary>
internal sealed class ReverseDependencyProbe
{
    public RmsDistance? Distance { get; init; }
}
