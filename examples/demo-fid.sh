#!/usr/bin/env bash
# FID and KID of every mode against the demo pair's true distribution: the README's table "FID and KID on the demo pair".
# For each prompt: 960 samples of the true scene distribution (`hybrid demo reference`), 96 seeds of each mode, then
# `hybrid diversity --reference` with the demo's own embedding model (64 features: FID needs more than 64 images a set).
set -euo pipefail
cd "$(dirname "$0")/.."
out=examples/out/demo-fid
hybrid() { dotnet run --project src/HybridDiffusion.Cli -c Release -- "$@"; }
embedding="${HYBRIDDIFFUSION_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/hybrid-diffusion}/demo-v9/embedding/model.onnx"
for prompt in "a red circle" "a red shape" "a photo"; do
  folder="$out/$(echo "$prompt" | tr ' ' '-')"
  rm -rf "$folder"
  hybrid demo reference "$prompt" --count 960 --seed 1000 --output "$folder/reference"
  hybrid new-image "$prompt" --mode base distilled hybrid skip-first reverse --count 96 --output "$folder/images" > /dev/null
  # The reference's statistics are saved too: later runs can pass reference.fidstats instead of the 960 images (FID only).
  hybrid diversity "$folder/images" --group-by Mode --metric embedding --embedding-model "$embedding" \
    --reference "$folder/reference" --save-reference "$folder/reference.fidstats"
done
