#!/usr/bin/env bash
# The whole test suite: builds everything, runs the .NET tests, then the Pester tests of the packaged module in the
# PowerShell 7.6 that the local tool manifest (.config/dotnet-tools.json) installs, with the Pester that NuGet restored.
# The tool is restored first: some .NET tests (both faces on one table of requests) drive that same pwsh.
set -uo pipefail
cd "$(dirname "$0")"

restore_log=$(dotnet tool restore 2>&1)
restore_status=$?

dotnet test HybridDiffusion.sln -c Release --logger "console;verbosity=normal"
dotnet_status=$?

pester_status=0
if [ "$restore_status" -eq 0 ]; then
  packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
  dotnet tool run pwsh -NoProfile -NonInteractive -File tests/Invoke-PesterTests.ps1 -PesterPath "${packages%/}/pester/5.7.1/tools"
  pester_status=$?
else
  echo "Pester tests skipped: PowerShell could not be installed as a .NET tool here (dotnet tool restore failed):"
  echo "$restore_log" | tail -n 3
fi

[ "$dotnet_status" -eq 0 ] && [ "$pester_status" -eq 0 ]
