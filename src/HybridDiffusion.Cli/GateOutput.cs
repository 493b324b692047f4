namespace HybridDiffusion.Cli;

/// <summary>How a measuring verb with a gate ends: its report lines on standard output, each problem and each failed gate on standard error, and the exit code.</summary>
internal static class GateOutput
{
    public static void PrintErrors(IEnumerable<HybridDiffusionException> problems)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"hybrid: error: {problem.Message}");
        }
    }

    /// <returns>3 when a gate failed, else 1 when anything could not be measured, else 0.</returns>
    public static int Finish(IEnumerable<string> lines, IEnumerable<HybridDiffusionException> measurementProblems, IReadOnlyList<string> failures, bool anyProblem)
    {
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
        PrintErrors(measurementProblems);
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"hybrid: FAIL: {failure}");
        }
        return failures.Count > 0 ? ExitCodes.GateFailed : anyProblem ? ExitCodes.Failure : ExitCodes.Success;
    }
}
