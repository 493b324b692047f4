#!/usr/bin/env pwsh
# test.sh in PowerShell, for Windows, macOS and Linux: the same suite. Builds everything, runs the .NET tests, then the
# Pester tests of the packaged module in the PowerShell 7.6 that the local tool manifest (.config/dotnet-tools.json)
# installs, with the Pester that NuGet restored. The tool is restored first: some .NET tests (both faces on one table of
# requests) drive that same pwsh. Exits 0 when both parts pass.
Push-Location $PSScriptRoot
try {
    $restoreLog = dotnet tool restore 2>&1
    $restoreStatus = $LASTEXITCODE

    dotnet test HybridDiffusion.sln -c Release --logger 'console;verbosity=normal'
    $dotnetStatus = $LASTEXITCODE

    $pesterStatus = 0
    if ($restoreStatus -eq 0) {
        $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages: ', ''
        $pester = Join-Path $packages.TrimEnd('/', '\') 'pester/5.7.1/tools'
        dotnet tool run pwsh -NoProfile -NonInteractive -File tests/Invoke-PesterTests.ps1 -PesterPath $pester
        $pesterStatus = $LASTEXITCODE
    }
    else {
        Write-Output 'Pester tests skipped: PowerShell could not be installed as a .NET tool here (dotnet tool restore failed):'
        $restoreLog | Select-Object -Last 3 | Write-Output
    }
}
finally {
    Pop-Location
}
exit ([int]($dotnetStatus -ne 0 -or $pesterStatus -ne 0))
