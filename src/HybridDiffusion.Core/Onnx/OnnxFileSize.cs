namespace HybridDiffusion.Core.Onnx;

/// <summary>The bytes a model occupies on disk, counting weights stored beside the graph (model.onnx_data).</summary>
internal static class OnnxFileSize
{
    public static long Of(string modelPath)
    {
        long bytes = new FileInfo(modelPath).Length;
        var external = modelPath + "_data";
        return File.Exists(external) ? bytes + new FileInfo(external).Length : bytes;
    }
}
