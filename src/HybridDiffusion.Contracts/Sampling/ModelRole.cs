namespace HybridDiffusion.Contracts.Sampling;

/// <summary>Which model of the pair runs a segment.</summary>
public enum ModelRole
{
    Base,
    Distilled,
}
