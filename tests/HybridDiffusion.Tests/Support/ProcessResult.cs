namespace HybridDiffusion.Tests.Support;

/// <summary>How a program ended and what it wrote.</summary>
internal sealed record ProcessResult(int ExitCode, string Output, string Errors)
{
    /// <summary>Both streams, standard output first.</summary>
    public string BothStreams => Output + Errors;

    /// <summary>Fails the test, with what the program said, unless it exited with 0; returns its standard output.</summary>
    public string Succeeded(string what)
    {
        Assert.True(ExitCode == 0, $"{what} exited with {ExitCode}:\n{Output}\n{Errors}");
        return Output;
    }
}
