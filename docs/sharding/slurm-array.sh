#!/bin/bash
# diffsmith batch on Slurm: a job array of 16 shards, at most 4 at once.
#   sbatch slurm-array.sh
# Each array task runs slice $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT
# (0-based, so the array must be 0-(N-1)). Resubmitting the same array (or
# `scontrol requeue`) resumes every shard: tasks already in its --out are
# skipped. Merge afterwards with merge-shards.sh (docs/batch.md, "Merging").
#SBATCH --job-name=diffsmith-swe
#SBATCH --array=0-15%4
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=08:00:00
#SBATCH --output=logs/diffsmith-%A_%a.log
set -euo pipefail

: "${OPENAI_API_KEY:?set OPENAI_API_KEY (e.g. in ~/.bashrc or with sbatch --export)}"
DATA=/shared/diffsmith
mkdir -p "$DATA/out" logs

diffsmith batch "$DATA/swe-bench-verified.jsonl" \
  --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
  --out "$DATA/out/preds-$SLURM_ARRAY_TASK_ID.jsonl" \
  --work-dir "${TMPDIR:-/tmp}/diffsmith-work-$SLURM_ARRAY_TASK_ID" \
  --repos-dir "$DATA/mirrors" \
  --workers "$SLURM_CPUS_PER_TASK" --max-cost-total 10 \
  --test-cmd "run-swe-tests {repo} {version} {tests}"
