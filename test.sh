#!/usr/bin/env bash
# Builds everything (the first build fetches ONNX Runtime from the npm registry) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test HybridDiffusion.sln -c Release --logger "console;verbosity=normal"
