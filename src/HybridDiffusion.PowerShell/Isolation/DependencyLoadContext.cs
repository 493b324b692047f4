using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace HybridDiffusion.PowerShell.Isolation;

/// <summary>
/// Loads the engine, ONNX Runtime, protobuf and their natives from the packaged module's Dependencies folder, apart from
/// the copies other modules load into PowerShell's default context. Framework assemblies come from the default context.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    public DependencyLoadContext(string directory)
        : base("HybridDiffusion", isCollectible: false) => _directory = directory;

    /// <summary>True when <paramref name="name"/> is one of the module's own dependencies.</summary>
    public bool Owns(AssemblyName name) => File.Exists(AssemblyPath(name));

    protected override Assembly? Load(AssemblyName name) => Owns(name) ? LoadFromAssemblyPath(AssemblyPath(name)) : null;

    protected override IntPtr LoadUnmanagedDll(string name) =>
        NativeLibraryPath(_directory, name) is string path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

    /// <summary>The module's own copy of a native library for this platform, e.g. runtimes/linux-x64/native/libonnxruntime.so.</summary>
    public static string? NativeLibraryPath(string directory, string name)
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var folder = Path.Combine(directory, "runtimes", $"{os}-{arch}", "native");
        var bare = Path.GetFileNameWithoutExtension(name.StartsWith("lib", StringComparison.Ordinal) ? name[3..] : name);
        return new[] { name, bare + ".dll", "lib" + bare + ".so", "lib" + bare + ".dylib" }
            .Select(file => Path.Combine(folder, file))
            .FirstOrDefault(File.Exists);
    }

    private string AssemblyPath(AssemblyName name) => Path.Combine(_directory, name.Name + ".dll");
}
