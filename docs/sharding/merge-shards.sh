#!/bin/sh
# Merges the shards of a sharded `diffsmith batch` into one predictions file
# (last line per instance_id wins, in case a shard was redone) and one meta
# file. Usage: merge-shards.sh OUT_DIR   (reads OUT_DIR/preds-*.jsonl)
set -eu
dir=${1:?usage: merge-shards.sh OUT_DIR}
ls "$dir"/preds-*.jsonl | grep -v '\.meta\.jsonl$' | xargs cat | python3 -c '
import json, sys
best = {}
for line in sys.stdin:
    if line.strip():
        p = json.loads(line)
        if "model_patch" in p:  # skips meta lines a glob may have caught
            best[p["instance_id"]] = p
for p in best.values():
    print(json.dumps(p))' > "$dir/preds.jsonl"
cat "$dir"/preds-*.meta.jsonl > "$dir/preds.meta.jsonl" 2>/dev/null || true
echo "$(wc -l < "$dir/preds.jsonl") predictions in $dir/preds.jsonl"
