using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Core.Onnx;

namespace HybridDiffusion.Tests.Core.Onnx;

public sealed class SessionCacheTests
{
    private static string UNetPath => Path.Combine(DemoPair.Paths.BaseModel, "unet", "model.onnx");

    [Fact]
    public void OneSessionPerModelAndSettingsEvenUnderConcurrentRequests()
    {
        using var cache = new SessionCache();
        var leases = Enumerable.Range(0, 8).AsParallel().Select(_ => cache.Acquire(UNetPath, SessionSettings.Default)).ToList();
        Assert.Single(leases.Select(l => l.Session).Distinct());
        var info = Assert.Single(cache.List());
        Assert.Equal(8, info.ActiveLeases);
        Assert.Equal("CPUExecutionProvider", info.ActiveProvider);
        leases.ForEach(l => l.Dispose());
        Assert.Equal(0, cache.List()[0].ActiveLeases);

        using var cpu = cache.Acquire(UNetPath, new SessionSettings(ExecutionProvider.Cpu));
        Assert.Equal(2, cache.List().Count);
    }

    [Fact]
    public void ClearReleasesSessionsAndLeasedOnesStayUsableUntilReturned()
    {
        using var cache = new SessionCache();
        var lease = cache.Acquire(UNetPath, SessionSettings.Default);
        Assert.Equal(1, cache.Clear());
        Assert.Empty(cache.List());
        Assert.NotEmpty(lease.Session.InputMetadata); // still alive while leased
        lease.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lease.Session);
        using var fresh = cache.Acquire(UNetPath, SessionSettings.Default);
        Assert.Single(cache.List());
    }

    [Fact]
    public void MissingFileIsReportedWithItsPath()
    {
        using var cache = new SessionCache();
        var ex = Assert.Throws<HybridDiffusionException>(() => cache.Acquire("/no/such/model.onnx", SessionSettings.Default));
        Assert.Equal(HybridErrorKind.ModelNotFound, ex.Kind);
        Assert.Contains("/no/such/model.onnx", ex.Message);
    }

    [Fact]
    public void CudaRunsOnCudaOrFailsClearlyNeverSilentlyOnTheCpu()
    {
        using var cache = new SessionCache();
        SessionLease lease;
        try
        {
            lease = cache.Acquire(UNetPath, new SessionSettings(ExecutionProvider.Cuda));
        }
        catch (HybridDiffusionException ex)
        {
            AssertClearCudaError(ex);
            return;
        }
        using (lease)
        {
            Assert.Equal(ExecutionProvider.Cuda, lease.ActiveProvider);
        }
    }

    private static void AssertClearCudaError(HybridDiffusionException ex)
    {
        Assert.Equal(HybridErrorKind.ProviderUnavailable, ex.Kind);
        Assert.Contains("-p:HybridCuda=true", ex.Message);
        Assert.Contains("CUDA 13 and cuDNN 9", ex.Message);
    }
}
