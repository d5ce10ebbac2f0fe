#!/usr/bin/env python3
"""Picks issue-like bug-fix commits from git repositories for the repo map
retrieval benchmark (bench/map_recall.py runs them).

    pick_commits.py MIRROR_GIT_DIR... [--per-repo N] [--scan N] [--offset F] > tasks.jsonl

A commit qualifies when it is not a merge, its subject reads like a fix
(fix, bug, close(s), resolve(s), regression, crash, false positive/negative), its message has a
body of at least 80 characters besides trailers (so the task is more than a
title), and it modifies 1 to 3 existing non-test Python files (added files
cannot be found before they exist). The answer is those files. Candidates
are taken from the newest N commits (--scan) and spread evenly over them, so
the pick is deterministic for a given history; --offset 0.5 takes the
candidates half-way between those of the default pick (a held-out set).

One JSON object a line: repo (the git dir as given), name, commit, parent,
task (subject + body, trailers dropped), answer (list of paths).
"""
import json
import re
import subprocess
import sys

FIX_RE = re.compile(r"\b(fix(e[sd])?|bug(fix)?|close[sd]?|resolve[sd]?|regression|crash(es)?|"
                    r"false (positive|negative))\b", re.I)
TRAILER_RE = re.compile(
    r"^(co-authored-by|signed-off-by|reviewed-by|acked-by|tested-by|cc|fixes|closes|refs?)\s*:", re.I)
TEST_RE = re.compile(r"(^|/)(tests?|testing|testsuite)/|(^|/)test_[^/]*\.py$|_test\.py$|(^|/)conftest\.py$")


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True,
                          text=True, errors="replace").stdout


def body_of(message):
    lines = message.splitlines()
    body = [l for l in lines[1:] if not TRAILER_RE.match(l.strip())]
    return "\n".join(body).strip()


def candidates(git_dir, scan):
    log = git(git_dir, "log", "--no-merges", "-n", str(scan), "--format=%x00%H %P%x01%B%x02",
              "--name-status", "--diff-filter=AMDR", "HEAD")
    for rec in log.split("\x00")[1:]:
        head, _, rest = rec.partition("\x01")
        message, _, status = rest.partition("\x02")
        parts = head.split()
        if len(parts) != 2:
            continue  # root commit or merge
        commit, parent = parts
        subject = message.splitlines()[0] if message else ""
        if not FIX_RE.search(subject):
            continue
        body = body_of(message)
        if len(body) < 80:
            continue
        modified, other_src = [], 0
        for line in status.strip().splitlines():
            fields = line.split("\t")
            if len(fields) < 2:
                continue
            kind, path = fields[0], fields[-1]
            if not path.endswith(".py") or TEST_RE.search(path) or path.startswith(
                    ("doc/", "docs/", "scripts/", "examples/", "utils/")) or path == "setup.py":
                continue
            if kind == "M":
                modified.append(path)
            else:
                other_src += 1
        if not 1 <= len(modified) <= 3 or other_src:
            continue
        task = subject + "\n\n" + body
        yield {"commit": commit, "parent": parent, "task": task, "answer": sorted(modified)}


def main():
    args = sys.argv[1:]
    per_repo, scan, offset = 20, 4000, 0.0
    dirs = []
    i = 0
    while i < len(args):
        if args[i] == "--per-repo":
            per_repo = int(args[i + 1]); i += 2
        elif args[i] == "--offset":
            offset = float(args[i + 1]); i += 2
        elif args[i] == "--scan":
            scan = int(args[i + 1]); i += 2
        else:
            dirs.append(args[i]); i += 1
    if not dirs:
        sys.exit(__doc__)
    for git_dir in dirs:
        name = git_dir.rstrip("/").split("/")[-2] if git_dir.rstrip("/").endswith("/repo") else git_dir
        found = list(candidates(git_dir, scan))
        step = max(1.0, len(found) / per_repo)
        picked = [found[int((k + offset) * step)] for k in range(min(per_repo, len(found)))
                  if int((k + offset) * step) < len(found)]
        print(f"{name}: {len(found)} candidates, {len(picked)} picked", file=sys.stderr)
        for t in picked:
            print(json.dumps({"repo": git_dir, "name": name, **t}))


if __name__ == "__main__":
    main()
