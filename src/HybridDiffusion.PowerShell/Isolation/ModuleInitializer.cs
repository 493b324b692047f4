namespace HybridDiffusion.PowerShell.Isolation;

/// <summary>PowerShell calls this when the module is imported and removed.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => DependencyIsolation.Activate(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!);

    public void OnRemove(PSModuleInfo module) => DependencyIsolation.Deactivate();
}
