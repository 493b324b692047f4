#!/usr/bin/env bash
# Sweep the demo pair's warmth slider from -3 to +3 on hybrid and distilled images (same seeds), write a contact sheet
# per strength, and print how far each strength moves base and distilled images (the slider transfers unchanged).
set -euo pipefail
cd "$(dirname "$0")/.."
out=examples/out/slider-sweep
hybrid() { dotnet run --project src/HybridDiffusion.Cli -c Release -- "$@"; }
hybrid new-image "a square" --count 1 --output "$out/.install" > /dev/null   # installs the demo pair, slider included
slider="${HYBRIDDIFFUSION_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/hybrid-diffusion}/demo-v9/sliders/warmth.safetensors"
for strength in -3 -1.5 0 1.5 3; do
  hybrid new-image "a square" --mode hybrid distilled --count 8 --slider "$slider:$strength" --output "$out/$strength" > /dev/null
done
hybrid diversity "$out"/*/a-square-*.png --group-by Sliders --pictures "$out/sheets" > /dev/null || true
echo "Contact sheets: $out/sheets"
hybrid slider-transfer "a square" --file "$slider" --strength -3 -1.5 1.5 3 --count 8
