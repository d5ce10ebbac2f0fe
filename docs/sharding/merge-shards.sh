#!/bin/sh
# Merges the shards of a sharded `diffsmith batch` into one predictions file
# and one meta file in the same folder: OUT_DIR/preds.jsonl (one line per
# instance_id, the last one if a shard was redone) and OUT_DIR/preds.meta.jsonl.
#   merge-shards.sh OUT_DIR [N]
# reads OUT_DIR/preds-I.jsonl and OUT_DIR/preds-I.meta.jsonl. With N (the
# number of shards), a missing preds-I.jsonl for I in 0..N-1 is an error and
# nothing is written; files of shards >= N (left from a run with another N)
# are named and left out. Run it again after retrying a shard: it rewrites both
# files from the shards' files.
set -eu
dir=${1:?usage: merge-shards.sh OUT_DIR [N]}
[ -d "$dir" ] || { echo "merge-shards.sh: $dir is not a folder" >&2; exit 2; }
exec python3 - "$dir" "${2:-}" <<'EOF'
import json, os, re, sys

out_dir, n = sys.argv[1], sys.argv[2]
if n and not n.isdigit():
    sys.exit("merge-shards.sh: N must be a whole number, got %r" % n)
shards = {}
for name in os.listdir(out_dir):
    m = re.fullmatch(r"preds-(\d+)\.jsonl", name)
    if m:
        shards[int(m.group(1))] = name
if n:
    n = int(n)
    missing = [i for i in range(n) if i not in shards]
    if missing:
        sys.exit("merge-shards.sh: no %s in %s: not run yet, or it stopped before its first task; "
                 "nothing merged" % (", ".join("preds-%d.jsonl" % i for i in missing), out_dir))
    extra = sorted(i for i in shards if i >= n)
    if extra:
        print("merge-shards.sh: left out %s (shard numbers >= N=%d)"
              % (", ".join(shards[i] for i in extra), n), file=sys.stderr)
    shards = {i: f for i, f in shards.items() if i < n}

def lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except ValueError:
                        print("merge-shards.sh: %s line %d is not JSON, skipped" % (path, number),
                              file=sys.stderr)
    except FileNotFoundError:
        return

def write(path, rows):  # whole or not at all: a temp file, then rename
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    os.replace(path + ".tmp", path)

best, meta = {}, []
for i in sorted(shards):
    for p in lines(os.path.join(out_dir, shards[i])):
        if isinstance(p, dict) and "model_patch" in p and "instance_id" in p:
            best[p["instance_id"]] = p
    meta.extend(lines(os.path.join(out_dir, "preds-%d.meta.jsonl" % i)))
write(os.path.join(out_dir, "preds.jsonl"), best.values())
write(os.path.join(out_dir, "preds.meta.jsonl"), meta)
print("%d predictions from %d shards in %s" % (len(best), len(shards), os.path.join(out_dir, "preds.jsonl")))
EOF
