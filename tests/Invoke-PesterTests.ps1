#!/usr/bin/env pwsh
# Runs the Pester tests (tests/*.Tests.ps1) against the packaged module that `dotnet build` writes to
# artifacts/module/HybridDiffusion. Skips with a visible message when Pester 5 is not installed.
$ErrorActionPreference = 'Stop'
$pester = Get-Module Pester -ListAvailable | Where-Object Version -GE '5.0' | Sort-Object Version -Descending | Select-Object -First 1
if (-not $pester) {
    Write-Host 'Pester tests skipped: Pester 5 is not installed (Install-PSResource Pester).'
    exit 0
}
Import-Module $pester
$configuration = New-PesterConfiguration
$configuration.Run.Path = Join-Path $PSScriptRoot '*.Tests.ps1'
$configuration.Run.Exit = $true
$configuration.Output.Verbosity = 'Detailed'
Invoke-Pester -Configuration $configuration
