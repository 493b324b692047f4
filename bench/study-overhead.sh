#!/usr/bin/env bash
# What the study machinery costs over `hybrid new-image` making the same images with the same batching (issue 27):
# the same prompt, seeds, mode, batch size and threads, on the bench's sdxl-heavy fixture (where the UNet dominates),
# as interleaved repeats of whole processes; prints each repeat's wall and CPU (user + system) seconds and the medians.
# On a busy machine the CPU time is the steadier of the two.
# Usage: bench/study-overhead.sh FIXTURES_ROOT [repeats] [images] [path/to/hybrid]
# (write the fixture first: dotnet bench/HybridDiffusion.Benchmarks/bin/Release/net8.0/HybridDiffusion.Benchmarks.dll fixtures ROOT sdxl-heavy)
set -euo pipefail
root=$(realpath "$1"); repeats=${2:-5}; images=${3:-16}; hybrid=${4:-src/HybridDiffusion.Cli/bin/Release/net8.0/hybrid}
base="$root/sdxl-heavy/base"; distilled="$root/sdxl-heavy/distilled"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/study.json" <<JSON
{ "models": { "base": "$base", "distilled": "$distilled" }, "prompts": ["a red circle"],
  "seeds": { "start": 0, "count": $images }, "batchSize": 4, "threadCount": 2, "provider": "cpu",
  "settings": [ { "name": "hybrid", "mode": "hybrid", "preset": "dmd2", "width": 512, "height": 512 } ],
  "reference": "hybrid" }
JSON
# Prints "wall cpu" seconds of one run.
seconds() {
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" > /dev/null 2>&1
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) $(awk '{ print $1 + $2 }' "$work/cpu")"
}
declare -a plain study plain_cpu study_cpu
for ((r = 0; r < repeats; r++)); do
  rm -rf "$work/plain" "$work/study"
  read -r wall cpu < <(seconds "$hybrid" new-image 'a red circle' --mode hybrid --preset dmd2 --width 512 --height 512 --seed 0 --count "$images" \
    --batch-size 4 --thread-count 2 --provider cpu --base-model "$base" --distilled-model "$distilled" --output "$work/plain")
  plain+=("$wall"); plain_cpu+=("$cpu")
  read -r wall cpu < <(seconds "$hybrid" study run "$work/study.json" --output "$work/study")
  study+=("$wall"); study_cpu+=("$cpu")
  printf 'repeat %d: new-image %.2f s (CPU %.2f s), study run %.2f s (CPU %.2f s)\n' "$r" "${plain[-1]}" "${plain_cpu[-1]}" "${study[-1]}" "${study_cpu[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
report() { printf 'median %s of %d: new-image %.2f s, study run %.2f s: study overhead %+.1f%%\n' "$1" "$repeats" "$2" "$3" "$(echo "($3 / $2 - 1) * 100" | bc -l)"; }
report wall "$(median "${plain[@]}")" "$(median "${study[@]}")"
report CPU "$(median "${plain_cpu[@]}")" "$(median "${study_cpu[@]}")"
