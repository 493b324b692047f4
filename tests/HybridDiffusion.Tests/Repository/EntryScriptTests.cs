namespace HybridDiffusion.Tests.Repository;

/// <summary>
/// The README's two commands and their PowerShell twins: ./test.ps1 runs the same suite as ./test.sh, and ./demo.ps1
/// does what ./demo.sh does, in the repository's pwsh. Both scripts of a pair run against a stand-in `dotnet` first on
/// the PATH that logs each call (and hands `dotnet run` of the CLI to the CLI built here), so the test compares what
/// they do without building or testing the repository again.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]   // the stand-in is a bash script
public sealed class EntryScriptTests
{
    private const string Stub = """
        #!/usr/bin/env bash
        printf '%s\n' "$*" >> "$STUB_LOG"
        case "$1" in
          run) while [ "$1" != "--" ]; do shift; done; shift; exec "$REAL_DOTNET" "$HYBRID_DLL" "$@" ;;
          test) exit "$STUB_TEST" ;;
          nuget) echo "global-packages: /packages/" ;;
          tool) [ "$2" = restore ] && { echo "restore said no"; exit "$STUB_RESTORE"; }; exit "$STUB_PESTER" ;;
        esac
        """;

    private static string Root => Path.GetFullPath(CmdletMetadata.Metadata("RepositoryRoot"));

    [PowerShellOnLinuxTheory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 1, 0)]
    [InlineData(0, 0, 1)]
    [InlineData(1, 0, 0)]
    public void TestPs1RunsTheSameSuiteAsTestSh(int restore, int dotnetTest, int pester)
    {
        var environment = new Dictionary<string, string> { ["STUB_RESTORE"] = $"{restore}", ["STUB_TEST"] = $"{dotnetTest}", ["STUB_PESTER"] = $"{pester}" };
        var bash = RunWithStub(new[] { "bash", Path.Combine(Root, "test.sh") }, Root, environment);
        var pwsh = RunWithStub(PowerShell(Path.Combine(Root, "test.ps1")), Root, environment);

        Assert.Equal(bash.Calls, pwsh.Calls);
        Assert.Contains("test HybridDiffusion.sln -c Release --logger console;verbosity=normal", pwsh.Calls);
        Assert.Equal(restore == 0, pwsh.Calls.Contains("tool run pwsh -NoProfile -NonInteractive -File tests/Invoke-PesterTests.ps1 -PesterPath /packages/pester/5.7.1/tools"));
        bool passes = dotnetTest == 0 && (restore != 0 || pester == 0);
        Assert.Equal(passes, bash.Code == 0);
        Assert.Equal(passes, pwsh.Code == 0);
        Assert.Equal(restore != 0, pwsh.Output.Contains("Pester tests skipped: PowerShell could not be installed as a .NET tool here"));
        Assert.Equal(restore != 0, pwsh.Output.Contains("restore said no"));
    }

    [PowerShellOnLinuxTheory]
    [InlineData("a photo of a shape")]
    public void DemoPs1DoesWhatDemoShDoesAndEndsWithOneContactSheetOfBothSets(string prompt)
    {
        var home = Path.GetDirectoryName(Path.GetDirectoryName(DemoPair.Paths.BaseModel))!;
        var results = new List<(string Folder, List<string> Lines)>();
        foreach (var script in new[] { "demo.sh", "demo.ps1" })
        {
            // A copy in a folder of its own: the demo writes ./out beside itself. (It starts in the repository, where the tool manifest is.)
            using var folder = new TempFolder();
            File.Copy(Path.Combine(Root, script), folder[script]);
            var command = script.EndsWith(".sh") ? new[] { "bash", folder[script] } : PowerShell(folder[script]);
            var run = RunWithStub(command, Root, new Dictionary<string, string> { ["HYBRIDDIFFUSION_HOME"] = home });
            Assert.True(run.Code == 0, run.Output);
            var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var sheet = folder[$"out/contact-sheet/{prompt.Replace(' ', '-')}-contact.png"];
            Assert.Equal("Contact sheet of both sets: " + sheet, lines[^1]);
            Assert.True(File.Exists(sheet), run.Output);
            Assert.Equal(16, Directory.GetFiles(folder["out"], prompt.Replace(' ', '-') + "-*.png").Length);
            Assert.Single(Directory.GetFiles(folder["out/contact-sheet"], "*-contact.png"));
            results.Add((folder.Path, lines.Select(l => l.Replace(folder.Path, "FOLDER")).ToList()));
        }
        // The same images, in the same order, and the same last line.
        static IEnumerable<string> Images(List<string> lines) => lines.Where(l => l.Contains(".png  (")).Select(l => l[..l.IndexOf("  (", StringComparison.Ordinal)]);
        Assert.Equal(Images(results[0].Lines), Images(results[1].Lines));
        Assert.Equal(results[0].Lines[^1], results[1].Lines[^1]);
    }

    [LinuxFact]
    public void TheCliGateExamplePassesAgainOnASecondRunIntoTheSameFolder()
    {
        // A copy under a folder of its own: the example writes examples/out/gate-cli below the repository it is in.
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder["examples"]);
        File.Copy(Path.Combine(Root, "examples", "ci-diversity-gate.sh"), folder["examples/ci-diversity-gate.sh"]);
        var home = new Dictionary<string, string> { ["HYBRIDDIFFUSION_HOME"] = Path.GetDirectoryName(Path.GetDirectoryName(DemoPair.Paths.BaseModel))! };
        foreach (var run in new[] { 1, 2 })
        {
            var (code, output, _) = RunWithStub(new[] { "bash", folder["examples/ci-diversity-gate.sh"] }, Root, home);
            Assert.True(code == 0, $"run {run}: {output}");
        }
        Assert.Equal(24, Directory.GetFiles(folder["examples/out/gate-cli/images"]).Length);
        Assert.True(File.Exists(folder["examples/out/gate-cli/diversity.xml"]));
    }

    private static string[] PowerShell(string script) => new[] { RealDotnet, "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", script };

    private static string RealDotnet => Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator)
        .Select(folder => Path.Combine(folder, "dotnet")).First(File.Exists);

    private static (int Code, string Output, List<string> Calls) RunWithStub(string[] command, string folder, IReadOnlyDictionary<string, string> environment)
    {
        using var stub = new TempFolder();
        var dotnet = stub["dotnet"];
        File.WriteAllText(dotnet, Stub.Replace("\r", ""));
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var variables = new Dictionary<string, string>(environment)
        {
            ["PATH"] = stub.Path + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["STUB_LOG"] = stub["calls.log"],
            ["REAL_DOTNET"] = RealDotnet,
            ["HYBRID_DLL"] = Path.Combine(AppContext.BaseDirectory, "hybrid.dll"),
        };
        var result = ExternalProcess.Run(command[0], command.Skip(1), variables, TimeSpan.FromMinutes(5), folder);
        var calls = File.Exists(stub["calls.log"]) ? File.ReadAllLines(stub["calls.log"]).ToList() : new List<string>();
        return (result.ExitCode, result.BothStreams, calls);
    }
}
