#!/usr/bin/env pwsh
# Sweep the demo pair's warmth slider on hybrid and distilled images, with a contact sheet per strength, then show how
# far the slider moves base and distilled images side by side (it transfers from the base model unchanged).
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../artifacts/module/HybridDiffusion')
$out = Join-Path $PSScriptRoot 'out/slider-sweep'
New-HybridImage 'a square' | Out-Null   # installs the demo pair, slider included
$home_ = if ($env:HYBRIDDIFFUSION_HOME) { $env:HYBRIDDIFFUSION_HOME } else { Join-Path $HOME '.cache/hybrid-diffusion' }
$slider = Join-Path $home_ 'demo-v7/sliders/warmth.safetensors'
$images = foreach ($strength in -3, -1.5, 1.5, 3) {
    $model = Add-ConceptSlider -Path $slider -Strength $strength
    New-HybridImage 'a square' -Model $model -Mode Hybrid, Distilled -Count 8
}
$images | Measure-SampleDiversity -GroupBy Sliders -PictureDirectory $out | Format-Table Group, Count, Mean, Vendi
Measure-SliderTransfer 'a square' -Path $slider -Strength -3, -1.5, 1.5, 3 -Count 8
