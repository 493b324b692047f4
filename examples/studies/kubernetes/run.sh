#!/usr/bin/env bash
# Runs a study on Kubernetes: the study file as a ConfigMap, the Indexed Job (study.yaml), then the merge Job
# (merge.yaml) once every shard has completed. The report stays on the volume (hybrid-study-results, folder report/).
#
#   examples/studies/kubernetes/run.sh STUDY.json          e.g. run.sh examples/studies/paper-demo.json
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
study=${1:?usage: run.sh STUDY.json}

# Which of Complete / Failed a Job has reached, if any.
finished() { kubectl get "job/$1" -o jsonpath='{.status.conditions[?(@.status=="True")].type}' | grep -Eow 'Complete|Failed'; }

# Waits for a Job to end; fails with its logs unless it completed.
await() {
    local outcome
    until outcome=$(finished "$1"); do sleep 30; done
    if [ "$outcome" != Complete ]; then
        kubectl logs "job/$1" --tail=20 >&2 || true
        echo "job/$1 failed. Fix the cause, then: kubectl delete job/$1 and run this again: done units are kept." >&2
        exit 1
    fi
}

kubectl create configmap hybrid-study --from-file=study.json="$study" --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -f "$here/study.yaml"
await hybrid-study
kubectl apply -f "$here/merge.yaml"
await hybrid-study-merge
kubectl logs job/hybrid-study-merge
