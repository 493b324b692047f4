namespace HybridDiffusion.Analysis.Studies;

/// <summary>A unit's share of its batch's time (milliseconds): kept in its record, never in the merged summary.</summary>
internal sealed record UnitTimings(double ElapsedMs, double UNetMs, double DenoiseMs, double SetupMs);
