namespace HybridDiffusion.Contracts.Adherence;

/// <summary>How prompt adherence is measured.</summary>
public enum AdherenceMeasure
{
    /// <summary>CLIP score: 100·max(cos(image embedding, prompt embedding), 0), from a CLIP image + text ONNX pair.</summary>
    ClipScore,

    /// <summary>The demo pair's exact measure: 1 when the image shows a scene its prompt asks for, else 0.</summary>
    DemoScene,
}
