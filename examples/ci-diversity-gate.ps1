#!/usr/bin/env pwsh
# A complete CI diversity gate: generate a batch per mode, measure it, and fail the job when diversity regresses.
# Exit code 0 when every group passes, 1 when a group is below a threshold or cannot be measured.
# Thresholds here suit the built-in demo pair; set them from your own model's measured figures (e.g. 90% of today's).
param(
    # The configuration under test. Hybrid passes on the demo pair; -Mode Distilled shows the gate failing.
    [ValidateSet('Hybrid', 'Distilled', 'Base', 'SkipFirst', 'Reverse')]
    [string] $Mode = 'Hybrid',
    [string] $Prompt = 'a square',
    [int] $Count = 24,
    [double] $MinimumDistance = 0.15,
    [double] $MinimumVendi = 1.8,
    # Images go to images/, contact sheets and heatmaps to report/, the JUnit file to diversity.xml: reruns measure
    # only the images.
    [string] $OutputDirectory = (Join-Path $PSScriptRoot 'out/gate-ps')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../artifacts/module/HybridDiffusion')

$images = New-HybridImage -Prompt $Prompt -Mode $Mode -Count $Count -OutputDirectory (Join-Path $OutputDirectory 'images')
# Gate failures are non-terminating errors: collect them instead of stopping at the first, then exit 1 below (a script
# that ends with only non-terminating errors exits 0 under `pwsh -File`).
$reports = $images | Measure-SampleDiversity -GroupBy Mode -Metric Rms, Ssim `
    -MinimumDistance $MinimumDistance -MinimumVendi $MinimumVendi -PictureDirectory (Join-Path $OutputDirectory 'report') `
    -JUnitPath (Join-Path $OutputDirectory 'diversity.xml') -ErrorAction SilentlyContinue -ErrorVariable gateErrors
$reports | Format-Table
if ($gateErrors) {
    $gateErrors | ForEach-Object { Write-Host "FAIL: $($_.Exception.Message)" }
    exit 1
}
Write-Host 'Diversity gate passed.'
