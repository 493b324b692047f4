using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HybridDiffusion.Tests.Faces.PowerShell;

/// <summary>The packaged module folder (artifacts/module/HybridDiffusion): complete, and isolated when loaded.</summary>
public sealed class PackagedModuleTests
{
    private static string Metadata(string key) =>
        typeof(PackagedModuleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string ModuleFolder => Path.GetFullPath(Path.Combine(Metadata("RepositoryRoot"), "artifacts", "module", "HybridDiffusion"));

    [Fact]
    public void TheFolderHoldsManifestCmdletsViewsHelpAndEachPlatformsNatives()
    {
        foreach (var file in new[]
        {
            "HybridDiffusion.psd1", "HybridDiffusion.PowerShell.dll", "HybridDiffusion.Contracts.dll", "HybridDiffusion.Format.ps1xml", "HybridDiffusion.Types.ps1xml",
            "en-US/HybridDiffusion.PowerShell.dll-Help.xml", "en-US/about_HybridDiffusion.help.txt",
            "Dependencies/HybridDiffusion.Core.dll", "Dependencies/HybridDiffusion.Analysis.dll", "Dependencies/HybridDiffusion.Demo.dll", "Dependencies/Microsoft.ML.OnnxRuntime.dll", "Dependencies/Google.Protobuf.dll",
            "Dependencies/runtimes/linux-x64/native/libonnxruntime.so", "Dependencies/runtimes/win-x64/native/onnxruntime.dll",
            "Dependencies/runtimes/osx-arm64/native/libonnxruntime.dylib",
        })
        {
            Assert.True(File.Exists(Path.Combine(ModuleFolder, file)), $"missing {file}");
        }
        // PowerShell supplies System.Management.Automation; a copy in the module would only confuse.
        Assert.Empty(Directory.GetFiles(ModuleFolder, "System.Management.Automation.dll", SearchOption.AllDirectories));
        var manifest = File.ReadAllText(Path.Combine(ModuleFolder, "HybridDiffusion.psd1"));
        foreach (var listed in Regex.Matches(manifest, @"'([^']+\.(?:dll|ps1xml))'").Select(m => m.Groups[1].Value))
        {
            Assert.True(File.Exists(Path.Combine(ModuleFolder, listed)), $"the manifest names {listed}, which the folder lacks");
        }
    }

    [Fact]
    public void TheGalleryPackageIsVersionedAndTaggedLikeTheManifest()
    {
        var root = Metadata("RepositoryRoot");
        var manifest = File.ReadAllText(Path.Combine(root, "HybridDiffusion.psd1"));
        var nuspec = System.Xml.Linq.XDocument.Load(Path.Combine(root, "module", "HybridDiffusion.nuspec"));
        System.Xml.Linq.XNamespace ns = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
        var tags = nuspec.Descendants(ns + "tags").Single().Value.Split(' ');
        var cmdlets = ModuleChecks.ManifestList(manifest, "CmdletsToExport");
        Assert.Contains("PSModule", tags);
        Assert.All(cmdlets, c => Assert.Contains("PSCmdlet_" + c, tags));
        Assert.Equal("$version$", nuspec.Descendants(ns + "version").Single().Value);
        Assert.Equal(Regex.Match(manifest, @"Description\s*=\s*'([^']+)'").Groups[1].Value, nuspec.Descendants(ns + "description").Single().Value);
    }

    [Fact]
    public void TheModuleLoadsItsEngineAndNativeLibraryFromItsOwnFilesAndRunsTheDemoPair()
    {
        using var temp = new TempFolder();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Metadata("ModuleHostPath"), ModuleFolder, temp["out"] },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["HYBRIDDIFFUSION_HOME"] = temp["home"] },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("isolated").GetBoolean());
        Assert.Equal("HybridDiffusion", root.GetProperty("engineContext").GetString());
        Assert.Equal("HybridDiffusion", root.GetProperty("onnxRuntimeContext").GetString());
        Assert.StartsWith(Path.Combine(ModuleFolder, "Dependencies"), root.GetProperty("onnxRuntime").GetString());
        // The types users see come from the contracts beside the cmdlets, in the default context.
        Assert.Equal("Default", root.GetProperty("contractsContext").GetString());
        Assert.Equal(Path.Combine(ModuleFolder, "HybridDiffusion.Contracts.dll"), root.GetProperty("contracts").GetString());
        var natives = root.GetProperty("natives").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.NotEmpty(natives);
        if (OperatingSystem.IsLinux())
        {
            Assert.All(natives, n => Assert.StartsWith(Path.Combine(ModuleFolder, "Dependencies", "runtimes", "linux-x64", "native"), n));
        }
        var image = root.GetProperty("images")[0].GetString()!;
        Assert.True(File.Exists(image), image);
    }
}
