#!/usr/bin/env bash
# Peak working set of `hybrid new-image` over many distinct prompts read from standard input (issue 27): a generation
# run keeps only a bounded cache of prompt conditionings, so the peak after 10,000 prompts and after 50,000 should be
# within 5% of each other. Usage: bench/conditioning-memory.sh [path/to/hybrid] [counts...]
set -euo pipefail
hybrid=${1:-src/HybridDiffusion.Cli/bin/Release/net8.0/hybrid}
shift || true
counts=("${@:-10000 50000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for count in ${counts[@]}; do
  rm -rf "$work/out"
  # Distinct prompts the demo pair reads as one scene (unknown words are ignored), so only the conditioning differs.
  seq 1 "$count" | sed 's/^/a red circle number /' > "$work/prompts.txt"
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/peak" "$hybrid" new-image - --mode distilled --width 64 --height 64 --thread-count 1 \
    --output "$work/out" < "$work/prompts.txt" > /dev/null
  end=$(date +%s.%N)
  printf '%6d distinct prompts: peak working set %6.1f MB, %.1f s\n' "$count" "$(echo "$(cat "$work/peak") / 1024" | bc -l)" "$(echo "$end - $start" | bc -l)"
done
