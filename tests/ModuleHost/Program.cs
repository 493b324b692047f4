using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;

// usage: ModuleHost <module folder> <output folder>
// Prints one JSON object: where the engine, ONNX Runtime and the native library were loaded from, and the image written.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: ModuleHost <module folder> <output folder>");
    return 2;
}
var module = Path.GetFullPath(args[0]);
var cmdlets = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(module, "HybridDiffusion.PowerShell.dll"));
// What PowerShell's import does first (the module initializer), without PowerShell.
bool isolated = (bool)cmdlets.GetType("HybridDiffusion.PowerShell.Isolation.DependencyIsolation", throwOnError: true)!
    .GetMethod("Activate")!.Invoke(null, new object[] { module })!;
// The engine resolves the way the cmdlet assembly's own references do: through the default context's Resolving event.
var engine = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("HybridDiffusion.Core"));
var demo = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("HybridDiffusion.Demo"));
var requests = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("HybridDiffusion.Contracts"));

var request = Activator.CreateInstance(requests.GetType("HybridDiffusion.Contracts.Requests.GenerationRequest", throwOnError: true)!)!;
request.GetType().GetProperty("Prompts")!.SetValue(request, new[] { "a photo" });
request.GetType().GetProperty("OutputDirectory")!.SetValue(request, Path.GetFullPath(args[1]));
// The faces' default pair: the demo models, written by the demo assembly when a request names no model.
var defaultPair = Delegate.CreateDelegate(engine.GetType("HybridDiffusion.Core.Sampling.DefaultModelPair", throwOnError: true)!,
    demo.GetType("HybridDiffusion.Demo.DemoModels", throwOnError: true)!.GetMethod("DefaultPair")!);
using var hybridEngine = (IDisposable)Activator.CreateInstance(engine.GetType("HybridDiffusion.Core.Engine.HybridEngine", throwOnError: true)!, new object?[] { null, defaultPair })!;
var generate = hybridEngine.GetType().GetMethod("Generate")!;
var images = ((System.Collections.IEnumerable)generate.Invoke(hybridEngine, new object?[] { request, null, CancellationToken.None })!).Cast<object>().ToList();

var onnxRuntime = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Microsoft.ML.OnnxRuntime");
var contracts = images[0].GetType().Assembly;
var natives = File.ReadAllLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    .Where(f => f.Length >= 6 && f[5].Contains("libonnxruntime", StringComparison.Ordinal)).Select(f => f[5]).Distinct().ToList();
Console.WriteLine(JsonSerializer.Serialize(new
{
    isolated,
    engineContext = AssemblyLoadContext.GetLoadContext(engine)?.Name,
    engine = engine.Location,
    onnxRuntime = onnxRuntime.Location,
    onnxRuntimeContext = AssemblyLoadContext.GetLoadContext(onnxRuntime)?.Name,
    contracts = contracts.Location,
    contractsContext = AssemblyLoadContext.GetLoadContext(contracts)?.Name,
    natives,
    images = images.Select(i => i.GetType().GetProperty("Path")!.GetValue(i)).ToList(),
}));
return 0;
