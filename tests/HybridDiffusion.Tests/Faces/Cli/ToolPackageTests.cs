using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests.Faces.Cli;

/// <summary>
/// `hybrid` as a newcomer installs it: packed as a .NET tool and installed as the README says, it runs from any folder;
/// the CLI, the tool package, the module and its package carry one version, the manifest's.
/// </summary>
public sealed class ToolPackageTests
{
    private static string Root => Path.GetFullPath(typeof(ToolPackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!);

    private static string ManifestVersion =>
        Regex.Match(File.ReadAllText(Path.Combine(Root, "HybridDiffusion.psd1")), @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;

    [Fact]
    public void TheInstalledToolMakesAnImageFromAnyFolder()
    {
        using var temp = new TempFolder();
        // As the README's quick start, with --tool-path for --global so that the test leaves the user's tools alone.
        var (packCode, packOutput) = Run("dotnet", Root, "pack", "src/HybridDiffusion.Cli", "-c", "Release", "--no-build", "-o", temp["feed"]);
        Assert.True(packCode == 0, packOutput);
        var (installCode, installOutput) = Run("dotnet", Root, "tool", "install", "HybridDiffusion.Cli", "--tool-path", temp["tools"],
            "--add-source", temp["feed"], "--version", ManifestVersion);
        Assert.True(installCode == 0, installOutput);

        Directory.CreateDirectory(temp["elsewhere"]);
        var hybrid = Path.Combine(temp["tools"], OperatingSystem.IsWindows() ? "hybrid.exe" : "hybrid");
        var home = Path.GetDirectoryName(Path.GetDirectoryName(DemoPair.Paths.BaseModel))!;
        var (code, output) = Run(hybrid, temp["elsewhere"], new Dictionary<string, string> { [DemoModels.HomeVariable] = home }, "new-image", "a red circle");
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(temp["elsewhere"], "out", "a-red-circle-hybrid-0.png")), output);

        var (versionCode, version) = Run(hybrid, temp["elsewhere"], "--version");
        Assert.Equal(0, versionCode);
        Assert.StartsWith(ManifestVersion + "+", version.Trim());
    }

    [Fact]
    public void TheCliTheModuleAndBothPackagesCarryTheManifestsVersion()
    {
        using var temp = new TempFolder();
        using (var cli = new CliProcess("--version"))
        {
            Assert.Equal(0, cli.WaitForExit());
            Assert.StartsWith(ManifestVersion + "+", cli.Output.Trim());
        }
        var packaged = File.ReadAllText(Path.Combine(Root, "artifacts", "module", "HybridDiffusion", "HybridDiffusion.psd1"));
        Assert.Contains($"ModuleVersion        = '{ManifestVersion}'", packaged);
        // Packed from what the test run's build wrote (build/Module is outside the solution: restored first).
        var (restoreCode, restoreOutput) = Run("dotnet", Root, "restore", "build/Module");
        Assert.True(restoreCode == 0, restoreOutput);
        foreach (var project in new[] { "src/HybridDiffusion.Cli", "build/Module" })
        {
            var (code, output) = Run("dotnet", Root, "pack", project, "-c", "Release", "--no-build", "-o", temp["feed"]);
            Assert.True(code == 0, output);
        }
        Assert.True(File.Exists(temp[$"feed/HybridDiffusion.Cli.{ManifestVersion}.nupkg"]), string.Join(", ", Directory.GetFiles(temp["feed"])));
        using var module = ZipFile.OpenRead(temp[$"feed/HybridDiffusion.{ManifestVersion}.nupkg"]);
        using var nuspec = new StreamReader(module.Entries.Single(e => e.FullName == "HybridDiffusion.nuspec").Open());
        Assert.Contains($"<version>{ManifestVersion}</version>", nuspec.ReadToEnd());
    }

    private static (int Code, string Output) Run(string program, string folder, params string[] args) =>
        Run(program, folder, new Dictionary<string, string>(), args);

    private static (int Code, string Output) Run(string program, string folder, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var result = ExternalProcess.Run(program, args, environment, TimeSpan.FromMinutes(5), folder);
        return (result.ExitCode, result.BothStreams);
    }
}
