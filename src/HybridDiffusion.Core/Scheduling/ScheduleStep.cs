namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// One denoising step: the timestep it starts at and the one it steps to (negative: the end). Timesteps are whole
/// numbers except where diffusers keeps fractions (Euler with linspace spacing: 856.2857…).
/// </summary>
public readonly record struct ScheduleStep(int Index, double Timestep, double PrevTimestep, bool IsLast)
{
    /// <summary>The timestep rounded to a whole one, for progress displays, trajectory labels and file names.</summary>
    public int DisplayTimestep => (int)Math.Round(Timestep, MidpointRounding.ToEven);

    /// <summary>
    /// The smallest whole timestep at or above this one: a whole-timestep threshold "t ≤ start" (a slider's start) holds
    /// for it exactly when it holds for the fractional timestep.
    /// </summary>
    public int CeilingTimestep => (int)Math.Ceiling(Timestep);
}
