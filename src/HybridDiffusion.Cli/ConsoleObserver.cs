using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Cli;

/// <summary>Progress as one rewritten line on stderr (only when stderr is a terminal); warnings always, verbose on request.</summary>
internal sealed class ConsoleObserver : IGenerationObserver, IDiversityObserver, IStudyObserver
{
    private readonly bool _verbose;
    private readonly bool _showProgress = !Console.IsErrorRedirected;
    private int _lastLength;

    public ConsoleObserver(bool verbose) => _verbose = verbose;

    public void OnProgress(GenerationProgress p)
    {
        if (!_showProgress)
        {
            return;
        }
        Show($"[{p.PercentComplete,3}%] image {p.ImageIndex + 1}/{p.ImageCount} {p.Mode.ToString().ToLowerInvariant()} seed {p.Seed} " +
            $"step {p.StepIndex + 1}/{p.StepCount} ({p.Model.ToString().ToLowerInvariant()}, t={p.Timestep})");
    }

    public void OnProgress(DiversityProgress p)
    {
        if (_showProgress)
        {
            Show($"[{p.PercentComplete,3}%] {p.Metric.ToString().ToLowerInvariant()} distances of '{p.Group}' ({p.TaskIndex + 1}/{p.TaskCount})");
        }
    }

    public void OnProgress(StudyProgress p)
    {
        if (_showProgress)
        {
            Show($"[{p.PercentComplete,3}%] {p.Done}/{p.Total} {p.Activity}: '{p.Setting}' on \"{(p.Prompt.Length > 40 ? p.Prompt[..37] + "..." : p.Prompt)}\"");
        }
    }

    /// <summary>A free-form progress line (e.g. which benchmark row runs).</summary>
    public void Status(string line)
    {
        if (_showProgress)
        {
            Show(line);
        }
    }

    private void Show(string line)
    {
        Console.Error.Write("\r" + line.PadRight(_lastLength));
        _lastLength = line.Length;
    }

    public bool ShouldWriteFile(string path) => true;

    public void Verbose(string message)
    {
        if (_verbose)
        {
            WriteLine("verbose: " + message);
        }
    }

    public void Warning(string message) => WriteLine("warning: " + message);

    /// <summary>Clears the progress line before normal output.</summary>
    public void EndProgress()
    {
        if (_lastLength > 0)
        {
            Console.Error.Write("\r" + new string(' ', _lastLength) + "\r");
            _lastLength = 0;
        }
    }

    // Messages quote input (slider keys, prompts, paths): escaped, they cannot drive the terminal or forge a line.
    private void WriteLine(string text)
    {
        EndProgress();
        Console.Error.WriteLine(MessageText.Printable(text));
    }
}
