#!/usr/bin/env pwsh
# Runs the Pester tests (tests/*.Tests.ps1) against the packaged module that `dotnet build` writes to
# artifacts/module/HybridDiffusion, with the Pester module at -PesterPath (test.sh passes the one NuGet restored).
# Ends with the plain line "Pester: N passed, N failed" that .ci/run adds to its totals.
param(
    [Parameter(Mandatory)]
    [string] $PesterPath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PesterPath 'Pester.psd1') -Force
$configuration = New-PesterConfiguration
$configuration.Run.Path = Join-Path $PSScriptRoot '*.Tests.ps1'
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host "Pester: $($result.PassedCount) passed, $failed failed"
exit ([int]($failed -gt 0))
