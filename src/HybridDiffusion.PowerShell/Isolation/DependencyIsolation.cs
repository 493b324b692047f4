using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace HybridDiffusion.PowerShell.Isolation;

/// <summary>
/// Routes the cmdlet assembly's dependencies to <see cref="DependencyLoadContext"/> when the module is laid out as
/// packaged (Dependencies folder beside the cmdlet assembly). A development build keeps everything in one folder and
/// loads normally. Kept free of PowerShell types so a plain .NET process can exercise it the same way.
/// </summary>
public static class DependencyIsolation
{
    public const string FolderName = "Dependencies";
    private static readonly object s_gate = new();
    private static DependencyLoadContext? s_context;
    private static string? s_moduleDirectory;

    /// <summary>The folder dependencies load from, or null when the module is not isolated.</summary>
    public static string? Directory { get; private set; }

    /// <summary>Idempotent; returns false when the module folder has no Dependencies folder.</summary>
    public static bool Activate(string moduleDirectory)
    {
        var directory = Path.Combine(moduleDirectory, FolderName);
        if (!System.IO.Directory.Exists(directory))
        {
            return false;
        }
        lock (s_gate)
        {
            if (s_context is null)
            {
                s_context = new DependencyLoadContext(directory);
                s_moduleDirectory = moduleDirectory;
                Directory = directory;
                AssemblyLoadContext.Default.Resolving += Resolve;
                UseModuleNativeLibraries();
            }
        }
        return true;
    }

    public static void Deactivate() => AssemblyLoadContext.Default.Resolving -= Resolve;

    // Dependencies go to the isolated context; the contracts beside the cmdlets stay in the default one, shared by
    // PowerShell, the cmdlets and the engine, so every side sees the same types.
    private static Assembly? Resolve(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        if (s_context is not { } context)
        {
            return null;
        }
        if (context.Owns(name))
        {
            return context.LoadFromAssemblyName(name);
        }
        var beside = Path.Combine(s_moduleDirectory!, name.Name + ".dll");
        return File.Exists(beside) ? defaultContext.LoadFromAssemblyPath(beside) : null;
    }

    // ONNX Runtime's own resolver first tries the bare library name, which can bind another module's copy already in
    // the process; turning it off lets DependencyLoadContext load this module's file by its full path. Separate and
    // not inlined, so ONNX Runtime's assembly is resolved only after the Resolving handler is in place.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseModuleNativeLibraries() => Microsoft.ML.OnnxRuntime.OrtEnv.DisableDllImportResolver = true;
}
