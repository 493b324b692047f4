#!/usr/bin/env bash
# Reproduces the README's performance table: writes the sized SDXL-like fixtures, then runs `hybrid bench` on the
# demo pair and on each fixture, and `hybrid bench memory` on the 300 MB one. Takes a few minutes on a CPU.
# Compare ratios from one run each: absolute times depend on the machine and on what else runs on it.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=${1:-examples/out/fixtures}
dotnet build HybridDiffusion.sln -c Release --nologo -v quiet
hybrid() { dotnet src/HybridDiffusion.Cli/bin/Release/net8.0/hybrid.dll "$@"; }
dotnet bench/HybridDiffusion.Benchmarks/bin/Release/net8.0/HybridDiffusion.Benchmarks.dll fixtures "$fixtures"

echo "== demo pair: hybrid / distilled, engine time per step, allocation per step, batching"
hybrid bench
echo "== sdxl-heavy: hybrid / distilled and loop / session.Run at batch 1 (UNet >= 20 ms per step)"
hybrid bench --base-model "$fixtures/sdxl-heavy/base" --distilled-model "$fixtures/sdxl-heavy/distilled" --preset Dmd2 \
  --size 512 --batch 1 --images 16 --mode distilled hybrid skip-first
echo "== sdxl-batching: throughput at batch 16 / batch 1"
hybrid bench --base-model "$fixtures/sdxl-batching/base" --distilled-model "$fixtures/sdxl-batching/distilled" --preset Dmd2 \
  --size 64 --images 32 --rounds 2
echo "== sdxl-300mb: peak working set, sequential / concurrent"
hybrid bench memory --base-model "$fixtures/sdxl-300mb/base" --distilled-model "$fixtures/sdxl-300mb/distilled" --preset Dmd2 --images 8
