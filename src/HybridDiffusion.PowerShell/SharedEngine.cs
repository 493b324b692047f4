using HybridDiffusion.Core.Engine;
using HybridDiffusion.Demo;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// The one engine every cmdlet of this PowerShell process runs on, made on first use and kept for the life of the
/// process: the module's deliberate piece of shared state. New-HybridImage loads a model once and later commands reuse
/// it; Get-HybridSession lists this engine's sessions and Clear-HybridSession releases them.
/// </summary>
/// <remarks>
/// Shared by every runspace of the process, not one engine per runspace: ForEach-Object -Parallel, thread jobs and
/// hosted runspaces (a PowerShell session's tabs, an editor's) then load each model once instead of once per runspace
/// (SDXL is gigabytes), and Get-HybridSession and Clear-HybridSession in any runspace see and release every session,
/// also those a parallel block loaded. ONNX Runtime sessions may run concurrently, the cache hands them out with leases,
/// and each command keeps its own observer, so runspaces share models but nothing else. A background job (Start-Job)
/// runs in a process of its own and so has an engine of its own. Its sessions go back with Clear-HybridSession or when
/// the process ends.
/// </remarks>
internal static class SharedEngine
{
    private static readonly Lazy<HybridEngine> s_engine = new(() => new HybridEngine(defaultModels: DemoModels.DefaultPair));

    public static HybridEngine Instance => s_engine.Value;
}
