namespace HybridDiffusion.Analysis.Pictures;

/// <summary>The spacing every raster picture shares (contact sheets, heatmaps, trajectory grids), so they look alike side by side.</summary>
internal static class PictureLayout
{
    /// <summary>Space around and between cells.</summary>
    public const int Margin = 8;

    /// <summary>Height of the title line above the cells.</summary>
    public const int TitleHeight = 18;

    /// <summary>Height of the caption line under a cell.</summary>
    public const int CaptionHeight = 12;
}
