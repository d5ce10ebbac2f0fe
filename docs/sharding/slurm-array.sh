#!/bin/bash
# diffsmith batch on Slurm: one job array, one shard of the tasks per array task.
#
# Run this script itself on the login node, from any folder. It makes logs/
# there and submits the array with sbatch:
#   ./slurm-array.sh                  all N shards, at most PARALLEL at once
#   ./slurm-array.sh 2                shard 2 only, e.g. to retry it (or 1,3 or 4-7)
#   ./slurm-array.sh 2 --time=2:00:00 more sbatch options after the shards
# `sbatch --array=2 slurm-array.sh` works too (its log is then slurm-%A_%a.out in
# the current folder); plain `sbatch slurm-array.sh`, with no --array, stops
# with a message.
#
# Shard I is the array task id, N is set below and nowhere else: not
# SLURM_ARRAY_TASK_COUNT, which counts the tasks of one submission (1 when one
# shard is retried). Each shard writes only its own files (out/preds-I.jsonl,
# out/preds-I.meta.jsonl, out/report-I.html, its own work dir), so a retry
# touches no other shard; it resumes, skipping the tasks already in its
# preds-I.jsonl. When every shard is done: merge-shards.sh "$DATA/out" N
# (docs/batch.md, "Sharding over many machines").
#SBATCH --job-name=diffsmith-swe
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=08:00:00
set -euo pipefail

N=16          # the number of shards
PARALLEL=4    # shards running at once
# Tasks, mirrors and out/ on a file system every node sees.
DATA=${BATCH_DATA:-/shared/diffsmith}

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  if [ "${ENVIRONMENT:-}" = BATCH ]; then  # sbatch without --array
    echo "slurm-array.sh: not an array task; submit with ./slurm-array.sh [SHARDS] (or sbatch --array=0-$((N - 1)))" >&2
    exit 2
  fi
  shards=all
  case ${1:-} in [0-9]*) shards=$1; shift ;; esac
  if [ "$shards" = all ]; then
    shards=0-$((N - 1))
  else
    # Each shard number must be one of 0..N-1: a typo would otherwise run
    # nothing, or fail in every array task.
    for n in $(tr ',-' '  ' <<<"$shards"); do
      case $n in *[!0-9]*) echo "slurm-array.sh: '$shards' is not a list of shards like 2, 1,3 or 4-7" >&2; exit 2 ;; esac
      [ "$((10#$n))" -lt "$N" ] || { echo "slurm-array.sh: shard $n does not exist: N=$N, shards 0-$((N - 1))" >&2; exit 2; }
    done
  fi
  mkdir -p logs
  exec sbatch --array="$shards%$PARALLEL" --output=logs/diffsmith-%A_%a.log "$@" "$0"
fi

# In the array task: shard SLURM_ARRAY_TASK_ID of N.
I=$SLURM_ARRAY_TASK_ID
if [ "$I" -ge "$N" ]; then
  echo "slurm-array.sh: array task $I but N=$N: the array must stay within 0-$((N - 1))" >&2
  exit 2
fi
: "${OPENAI_API_KEY:?set OPENAI_API_KEY (e.g. in ~/.bashrc, or export it before submitting)}"
mkdir -p "$DATA/out"
echo "shard $I/$N on $(hostname), $(date)"

exec diffsmith batch "$DATA/swe-bench-verified.jsonl" \
  --shard "$I/$N" \
  --out "$DATA/out/preds-$I.jsonl" \
  --report "$DATA/out/report-$I.html" \
  --work-dir "${TMPDIR:-/tmp}/diffsmith-work-$I" \
  --repos-dir "$DATA/mirrors" \
  --workers "${SLURM_CPUS_PER_TASK:-1}" --max-cost-total 10
