#!/usr/bin/env bash
# Peak working set of one `hybrid new-image` run over many distinct prompts read from standard input (issue 27),
# read from /proc as the run passes each checkpoint: a run keeps only a bounded cache of prompt conditionings, so the
# peak after 10,000 prompts and after 50,000 should be within 5% of each other (the prompt list itself is read at the
# start, before either checkpoint). Linux only. Usage: bench/conditioning-memory.sh [path/to/hybrid] [checkpoints...]
set -euo pipefail
hybrid=${1:-src/HybridDiffusion.Cli/bin/Release/net8.0/hybrid}
shift || true
checkpoints=(${@:-10000 50000})
last=${checkpoints[-1]}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Distinct prompts the demo pair reads as one scene (unknown words are ignored), so only the conditioning differs.
seq 1 "$last" | sed 's/^/a red circle number /' > "$work/prompts.txt"
"$hybrid" new-image - --mode distilled --width 64 --height 64 --thread-count 1 --output "$work/out" < "$work/prompts.txt" > "$work/lines" &
pid=$!
start=$(date +%s.%N)
peak=0
next=0
# new-image prints one line per image written; the peak is read while the process lives.
while kill -0 "$pid" 2> /dev/null; do
  # An exiting process's status has no VmHWM line any more: keep the last figure read.
  read_peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2> /dev/null || true)
  peak=${read_peak:-$peak}
  done_count=$(wc -l < "$work/lines")
  while (( next < ${#checkpoints[@]} && done_count >= checkpoints[next] - 1 )); do
    printf '%6d distinct prompts: peak working set %6.1f MB (%.0f s)\n' "${checkpoints[next]}" "$(echo "$peak / 1024" | bc -l)" "$(echo "$(date +%s.%N) - $start" | bc -l)"
    next=$((next + 1))
  done
  sleep 0.2
done
wait "$pid"
# The last checkpoint is usually passed as the run ends: its figure is the last peak read while the run lived.
done_count=$(wc -l < "$work/lines")
while (( next < ${#checkpoints[@]} && done_count >= checkpoints[next] )); do
  printf '%6d distinct prompts: peak working set %6.1f MB (%.0f s; read just before the run ended)\n' "${checkpoints[next]}" "$(echo "$peak / 1024" | bc -l)" "$(echo "$(date +%s.%N) - $start" | bc -l)"
  next=$((next + 1))
done
