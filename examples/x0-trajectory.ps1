#!/usr/bin/env pwsh
# When does each model commit to its picture? Decode x̂0 at every step for 16 seeds of base, distilled and hybrid
# generation, then open the HTML report (commitment chart + step grid). Prints the fraction of steps each mode needs.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../artifacts/module/HybridDiffusion')
$out = Join-Path $PSScriptRoot 'out/trajectory'
$summary = Get-X0Trajectory 'a photo' -Mode Base, Distilled, Hybrid -Seed 200 -Count 16 -OutputDirectory $out -Summary
$summary.Commitments | Format-Table Label, Runs, Threshold, MeanCurveFraction, MeanRunFraction
"Report: $($summary.ReportPath)"
