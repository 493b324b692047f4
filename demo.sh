#!/usr/bin/env bash
# Sets up (the first build restores its NuGet packages, the first run writes the demo models) and generates hybrid and distilled
# images of one prompt on the built-in demo pair, into ./out.
set -euo pipefail
cd "$(dirname "$0")"
dotnet run --project src/HybridDiffusion.Cli -c Release -- new-image "a photo of a shape" --mode hybrid distilled --count 8 --output out "$@"
