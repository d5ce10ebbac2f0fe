#!/usr/bin/env python3
"""Extracts the model replies of Aider's public SWE-bench Lite run for the
syntax guard's replay (bench_guard.cpp).

Input: a clone of github.com/paul-gauthier/aider-swe-bench (its
predictions/<run>/<instance>.md chat transcripts and .json results) and
clones of the task repositories. For each instance of the chosen
repositories it writes

  OUT/<instance>/base/...               the repository at the base commit
  OUT/<instance>/base_commit            which commit that is, and how it was found
  OUT/<instance>/s<N>/<M>.txt           reply M of chat session N (replies with edit blocks only)

The transcripts hold no base commit. It is recovered from the model patches:
their `index <pre>..<post>` lines name the blob of each file before the
change, and the base is the newest commit whose tree holds every such blob
(a commit that introduced one, or the parent of one that replaced it).

Usage:
  bench/aider_replay.py --aider DIR --repo psf/requests=DIR --repo pallets/flask=DIR --out OUT
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

RUN = "predictions/multi-models--gpt-4o--openrouter-anthropic-claude-3-opus"


def git(repo, *args, check=True):
    r = subprocess.run(["git", "--git-dir", repo, *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("git %s: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout if r.returncode == 0 else None


def show(aider, path):
    return subprocess.run(["git", "--git-dir", aider, "show", "HEAD:" + path], capture_output=True,
                          check=True).stdout.decode("utf-8", "replace")


def pre_blobs(result):
    """(path, abbreviated pre-image blob) of every modified file of the results' patches."""
    out = set()
    patches = [result.get("model_patch") or ""] + [r.get("model_patch") or "" for r in result.get("all_results", [])]
    for patch in patches:
        path = None
        for line in patch.splitlines():
            m = re.match(r"diff --git a/(\S+) b/(\S+)", line)
            if m:
                path = m.group(1)
                continue
            m = re.match(r"index ([0-9a-f]+)\.\.([0-9a-f]+)", line)
            if m and path and set(m.group(1)) != {"0"}:
                out.add((path, m.group(1)))
    return sorted(out)


def blob_at(repo, commit, path):
    r = git(repo, "rev-parse", "--verify", "-q", "%s:%s" % (commit, path), check=False)
    return r.strip() if r else None


def find_base(repo, blobs):
    """The newest commit whose tree holds every (path, blob)."""
    if not blobs:
        return None, "no pre-image blob in the patches"
    full = []
    for path, abbrev in blobs:
        b = git(repo, "rev-parse", "--verify", "-q", abbrev + "^{blob}", check=False)
        if not b:
            return None, "blob %s of %s not in the clone" % (abbrev, path)
        full.append((path, b.strip()))
    # Each blob lives from the commit that introduced it to the parent of the
    # one that replaced it; the base lies where all these ranges meet, so
    # one of their ends (the newest introduction) holds every blob.
    candidates = []
    for path, blob in full:
        touched = git(repo, "log", "--all", "--format=%H %ct", "--find-object=" + blob, "--", path).split("\n")
        for line in touched:
            if not line.strip():
                continue
            c, t = line.split()
            if blob_at(repo, c, path) == blob:
                candidates.append((int(t), c))
            else:
                parent = git(repo, "rev-parse", "-q", "--verify", c + "^", check=False)
                if parent and blob_at(repo, parent.strip(), path) == blob:
                    pt = int(git(repo, "show", "-s", "--format=%ct", parent.strip()).strip())
                    candidates.append((pt, parent.strip()))
    for _, c in sorted(candidates, reverse=True):
        if all(blob_at(repo, c, p) == b for p, b in full):
            return c, "newest commit holding the pre-image blobs of " + ", ".join(p for p, _ in full)
    return None, "no commit holds all pre-image blobs"


def sessions(md):
    """Each chat session's assistant replies (text between aider's output and the user's messages)."""
    out = []
    for part in re.split(r"^# aider chat started at .*$", md, flags=re.M)[1:]:
        replies, cur = [], []
        for line in part.split("\n"):
            if line.startswith("> ") or line == ">" or line.startswith("#### ") or line == "####":
                if cur:
                    replies.append("\n".join(cur))
                    cur = []
                continue
            cur.append(line)
        if cur:
            replies.append("\n".join(cur))
        out.append([r for r in replies if "<<<<<<< SEARCH" in r])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aider", required=True, help="git dir of paul-gauthier/aider-swe-bench")
    ap.add_argument("--repo", action="append", default=[], help="owner/name=GIT_DIR")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    repos = dict(x.split("=", 1) for x in a.repo)
    listing = subprocess.run(["git", "--git-dir", a.aider, "ls-tree", "--name-only", "HEAD:" + RUN],
                             capture_output=True, text=True, check=True).stdout.split()
    summary = []
    for name in sorted(n for n in listing if n.endswith(".json") and n != "all_preds.jsonl"):
        inst = name[:-5]
        owner_repo = inst.rsplit("-", 1)[0].replace("__", "/")
        if owner_repo not in repos:
            continue
        result = json.loads(show(a.aider, RUN + "/" + name))
        md = show(a.aider, RUN + "/" + inst + ".md")
        base, how = find_base(repos[owner_repo], pre_blobs(result))
        dest = os.path.join(a.out, inst)
        if base is None:
            summary.append((inst, "skipped: " + how))
            continue
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(os.path.join(dest, "base"))
        archive = subprocess.run(["git", "--git-dir", repos[owner_repo], "archive", base], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", os.path.join(dest, "base")], input=archive, check=True)
        with open(os.path.join(dest, "base_commit"), "w") as f:
            f.write(base + "\n" + how + "\n")
        n = 0
        for s, replies in enumerate(sessions(md), 1):
            if not replies:
                continue
            os.makedirs(os.path.join(dest, "s%d" % s))
            for m, text in enumerate(replies, 1):
                with open(os.path.join(dest, "s%d" % s, "%03d.txt" % m), "w") as f:
                    f.write(text)
                n += 1
        summary.append((inst, "%s, %d replies with edits" % (base[:12], n)))
    for inst, what in summary:
        print("%-28s %s" % (inst, what))


if __name__ == "__main__":
    sys.exit(main())
