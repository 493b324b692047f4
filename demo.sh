#!/usr/bin/env bash
# Sets up (the first build restores its NuGet packages, the first run writes the demo models) and generates hybrid and distilled
# images of one prompt on the built-in demo pair, into ./out; then one contact sheet of both sets, whose path it prints last.
# demo.ps1 does the same in PowerShell.
set -euo pipefail
cd "$(dirname "$0")"
made=$(dotnet run --project src/HybridDiffusion.Cli -c Release -- new-image "a photo of a shape" --mode hybrid distilled --count 8 --output out "$@")
echo "$made"
# The images of this run (each line: PATH  (mode, seed ...)), on one sheet labelled by mode.
mapfile -t images < <(sed -n 's/^\(.*\.png\)  (.*$/\1/p' <<< "$made")
report=$(dotnet run --project src/HybridDiffusion.Cli -c Release --no-build -- diversity "${images[@]}" --group-by Prompt --pictures out/contact-sheet --json)
sheet=$(sed -n 's/.*"contactSheet":"\([^"]*\)".*/\1/p' <<< "$report" | head -n 1)
echo "Contact sheet of both sets: $sheet"
