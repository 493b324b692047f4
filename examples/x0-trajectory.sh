#!/usr/bin/env bash
# CLI twin of x0-trajectory.ps1: x̂0 at every step for 16 seeds of base, distilled and hybrid generation, a commitment
# chart (commitment.svg/.png), a step grid and trajectory-report.html in examples/out/trajectory.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project src/HybridDiffusion.Cli -c Release -- x0-trajectory "a photo" \
  --mode base distilled hybrid --seed 200 --count 16 --output examples/out/trajectory | tail -5
