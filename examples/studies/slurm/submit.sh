#!/usr/bin/env bash
# Submits a study as a Slurm job array of SHARDS tasks plus its merge job, which starts once every task ended well.
#
#   examples/studies/slurm/submit.sh STUDY.json RESULTS REPORT [SHARDS] [BASELINE-SUMMARY.json]
# Prints the two job ids (array, merge). Watch it with `hybrid study status STUDY.json --output RESULTS
# --shard-count SHARDS`; `hybrid` must be on the PATH of the compute nodes (sbatch passes this shell's environment).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

study=${1:?usage: submit.sh STUDY.json RESULTS REPORT [SHARDS] [BASELINE-SUMMARY.json]}
results=${2:?usage: submit.sh STUDY.json RESULTS REPORT [SHARDS] [BASELINE-SUMMARY.json]}
report=${3:?usage: submit.sh STUDY.json RESULTS REPORT [SHARDS] [BASELINE-SUMMARY.json]}
shards=${4:-4}
baseline=${5:-}

array=$(sbatch --parsable --array="0-$((shards - 1))" "$here/study.sbatch" "$study" "$results")
merge=$(sbatch --parsable --dependency="afterok:$array" "$here/merge.sbatch" "$results" "$report" ${baseline:+"$baseline"})
echo "$array $merge"
