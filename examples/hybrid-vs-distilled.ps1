# Generates the same eight seeds in hybrid and distilled mode and lists where the PNG files went.
# Run from the repository root after building the module (see README.md).
Import-Module "$PSScriptRoot/../artifacts/module/HybridDiffusion"

$images = New-HybridImage -Prompt 'a photo of a shape' -Mode Hybrid, Distilled -Count 8 -OutputDirectory "$PSScriptRoot/out"
$images | Group-Object Mode | ForEach-Object {
    '{0}: {1} images, median {2:N1} ms' -f $_.Name, $_.Count, ($_.Group.ElapsedMs | Sort-Object)[[int]($_.Count / 2)]
}
$images | Select-Object Mode, Seed, Path
