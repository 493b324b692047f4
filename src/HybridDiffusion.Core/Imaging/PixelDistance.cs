namespace HybridDiffusion.Core.Imaging;

/// <summary>RMS pixel difference: ‖a − b‖ / √(3·width·height), with SIMD distance kernels.</summary>
public static class PixelDistance
{
    public static double Rms(UnitImage a, UnitImage b)
    {
        RequireSameSize(a, b);
        return TensorPrimitives.Distance<float>(a.Values, b.Values) / Math.Sqrt(a.Values.Length);
    }

    public static void RequireSameSize(UnitImage a, UnitImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
        {
            throw new ArgumentException($"Images differ in size ({a.Width}x{a.Height} vs {b.Width}x{b.Height}); resize them to one size first.");
        }
    }
}
