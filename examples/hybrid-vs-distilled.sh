#!/usr/bin/env bash
# CLI twin of hybrid-vs-distilled.ps1: the same eight seeds in hybrid and distilled mode, one JSON line per image.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project src/HybridDiffusion.Cli -c Release -- new-image "a photo of a shape" \
  --mode hybrid distilled --count 8 --output examples/out --json
