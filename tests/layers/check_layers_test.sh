#!/usr/bin/env bash
# The layer check passes on the tree, and fails (naming the file and the
# arrow) on a copy where src/git includes a worktree header.
set -euo pipefail
src=${1:?usage: check_layers_test.sh SOURCE_DIR}
python3 "$src/scripts/check-layers.py" "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/scripts"
cp "$src/scripts/check-layers.py" "$src/scripts/layers.txt" "$tmp/scripts/"
while read -r folder _; do
  folder=${folder%:}
  case $folder in "" | \#*) continue ;; esac
  mkdir -p "$tmp/$folder"
done <"$src/scripts/layers.txt"
printf '#include "worktree/lock.hpp"\n' >"$tmp/src/git/bad.cpp"
printf '#include "git/repository.hpp"\n' >"$tmp/src/worktree/good.cpp"
if out=$(python3 "$tmp/scripts/check-layers.py" "$tmp" 2>&1); then
  echo "the check passed an include from src/git up into src/worktree"; exit 1
fi
grep -q 'src/git/bad.cpp:1: includes worktree/lock.hpp (src/git -> src/worktree' <<<"$out" || { echo "unexpected: $out"; exit 1; }
grep -q 'good.cpp' <<<"$out" && { echo "flagged an allowed arrow: $out"; exit 1; }
echo "layers: ok"
