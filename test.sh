#!/usr/bin/env bash
# Builds everything (the first build fetches ONNX Runtime from the npm registry) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test HybridDiffusion.sln -c Release --logger "console;verbosity=normal"
# The Pester tests need PowerShell 7.4+; this workplace has none, so they report themselves skipped.
if command -v pwsh >/dev/null 2>&1; then
  pwsh -NoProfile -File tests/Invoke-PesterTests.ps1
else
  echo "Pester tests skipped: pwsh (PowerShell 7.4+) is not installed."
fi
