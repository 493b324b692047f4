#!/usr/bin/env pwsh
# demo.sh in PowerShell, for Windows, macOS and Linux: sets up (the first build restores its NuGet packages, the first
# run writes the demo models) and generates hybrid and distilled images of one prompt on the built-in demo pair, into
# ./out; then one contact sheet of both sets, whose path it prints last. Extra arguments go to `hybrid new-image`.
$ErrorActionPreference = 'Stop'
$cli = Join-Path $PSScriptRoot 'src/HybridDiffusion.Cli'
Push-Location $PSScriptRoot
try {
    $made = dotnet run --project $cli -c Release -- new-image 'a photo of a shape' --mode hybrid distilled --count 8 --output out @args
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    $made | Write-Output
    # The images of this run (each line: PATH  (mode, seed ...)), on one sheet labelled by mode.
    $images = @($made | Select-String '^(.*\.png)  \(' | ForEach-Object { $_.Matches[0].Groups[1].Value })
    $report = dotnet run --project $cli -c Release --no-build -- diversity @images --group-by Prompt --pictures out/contact-sheet --json
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    $sheet = @($report | ConvertFrom-Json)[0].contactSheet
    Write-Output "Contact sheet of both sets: $sheet"
}
finally {
    Pop-Location
}
