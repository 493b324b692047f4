#!/usr/bin/env bash
# CLI twin of ci-diversity-gate.ps1: generate, measure, and let the exit code fail the CI job.
# `hybrid diversity` exits 0 when every group passes, 3 when one is below a threshold, 1 when input is unreadable.
# The JUnit file shows one test case per group and metric in CI test views.
# Thresholds here suit the built-in demo pair; set them from your own model's measured figures (e.g. 90% of today's).
set -euo pipefail
cd "$(dirname "$0")/.."
# Images, pictures and report each in a folder of their own, so that a second run measures only the images.
out=examples/out/gate-cli
hybrid() { dotnet run --project src/HybridDiffusion.Cli -c Release -- "$@"; }
# The configuration under test: hybrid mode. Swap in --mode distilled to watch the gate fail (exit 3).
hybrid new-image "a square" --mode hybrid --count 24 --output "$out/images"
hybrid diversity "$out/images"/*.png --group-by Mode --metric rms,ssim \
  --minimum-distance 0.15 --minimum-vendi 1.8 --pictures "$out/report" --junit "$out/diversity.xml"
