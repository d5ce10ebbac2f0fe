#!/usr/bin/env python3
"""Repo map retrieval benchmark: does the map list the file a real fix
changed, and how high? Against plain BM25 listing as many files.

    map_recall.py TASKS.jsonl --bin build/bench_repomap_recall [--work /tmp/map-recall]
                  [--subject-only] [--json OUT.jsonl]

TASKS.jsonl comes from bench/pick_commits.py (a task's repo is a git dir,
e.g. a bare mirror). Each repository gets one detached worktree under
--work (removed at the end); each task checks out the fix's parent there
and runs bench_repomap_recall with the commit message as the task text and
the non-test files the fix modified as the answer (--subject-only: the
first line of the message only, a terser task). Prints a markdown table:
for each budget the share of tasks whose changed file the map lists, the
files it lists (mean), the median rank of the first changed file among the
tasks where it is listed, and BM25's share when listing the same number of
files, with BM25's median rank among the same-size lists.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tasks")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "map-recall"))
    ap.add_argument("--json", help="write each task's result here")
    ap.add_argument("--subject-only", action="store_true", help="the task is the message's first line")
    args = ap.parse_args()

    tasks = [json.loads(l) for l in open(args.tasks) if l.strip()]
    by_repo = defaultdict(list)
    for t in tasks:
        by_repo[t["repo"]].append(t)
    os.makedirs(args.work, exist_ok=True)
    results = []
    for repo, items in by_repo.items():
        wt = os.path.join(args.work, items[0]["name"])
        if os.path.exists(wt):
            subprocess.run(["git", "--git-dir", repo, "worktree", "remove", "--force", wt], capture_output=True)
        run(["git", "--git-dir", repo, "worktree", "add", "-q", "--detach", wt, items[0]["parent"]])
        try:
            for t in items:
                run(["git", "-C", wt, "checkout", "-q", "--detach", "-f", t["parent"]])
                run(["git", "-C", wt, "clean", "-qfdx"])
                with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
                    f.write(t["task"].splitlines()[0] if args.subject_only else t["task"])
                    task_file = f.name
                try:
                    out = run([args.bin, wt, task_file, *t["answer"]]).stdout
                finally:
                    os.unlink(task_file)
                r = json.loads(out)
                r.update(name=t["name"], commit=t["commit"], answer=t["answer"])
                results.append(r)
                print(f"{t['name']} {t['commit'][:9]} " +
                      " ".join(f"{b['tokens']}:{b['rank']}/{b['listed']}" for b in r["budgets"]) +
                      f" bm25:{r['bm25_rank']}", file=sys.stderr)
        finally:
            subprocess.run(["git", "--git-dir", repo, "worktree", "remove", "--force", wt], capture_output=True)
            subprocess.run(["git", "--git-dir", repo, "worktree", "prune"], capture_output=True)
    if args.json:
        with open(args.json, "w") as f:
            for r in results:
                f.write(json.dumps(r) + "\n")
    report(results)


def pct(n, d):
    return f"{100.0 * n / d:.0f}%" if d else "-"


def median(xs):
    return f"{statistics.median(xs):g}" if xs else "-"


def report(results):
    n = len(results)
    repos = sorted({r["name"] for r in results})
    print(f"{n} tasks over {len(repos)} repositories ({', '.join(repos)})\n")
    budgets = [b["tokens"] for b in results[0]["budgets"]]
    rows = {"the changed file is in the map": [], "files the map lists (mean)": [],
            "median rank of that file in the map": [], "BM25 listing as many files: file listed": [],
            "BM25 listing as many files: median rank": []}
    for k, tokens in enumerate(budgets):
        bs = [r["budgets"][k] for r in results]
        rows["the changed file is in the map"].append(pct(sum(b["rank"] > 0 for b in bs), n))
        rows["files the map lists (mean)"].append(f"{statistics.mean(b['listed'] for b in bs):.0f}")
        rows["median rank of that file in the map"].append(median([b["rank"] for b in bs if b["rank"] > 0]))
        rows["BM25 listing as many files: file listed"].append(pct(sum(b["bm25_rank"] > 0 for b in bs), n))
        rows["BM25 listing as many files: median rank"].append(
            median([b["bm25_rank"] for b in bs if b["bm25_rank"] > 0]))
    print("| | " + " | ".join(f"{t} tokens" for t in budgets) + " |")
    print("|---|" + "---|" * len(budgets))
    for label, cells in rows.items():
        print(f"| {label} | " + " | ".join(cells) + " |")
    top10 = [r["bm25_rank"] for r in results if 0 < r["bm25_rank"] <= 10]
    map10 = [r["budgets"][budgets.index(4096)]["rank"] for r in results
             if 0 < r["budgets"][budgets.index(4096)]["rank"] <= 10] if 4096 in budgets else []
    print(f"\nTop 10: the map (4096 tokens) holds the file in {pct(len(map10), n)} of tasks "
          f"(median rank {median(map10)}); BM25's top 10 in {pct(len(top10), n)} (median rank {median(top10)}).")
    print("\nPer repository, 4096 tokens (map / BM25 same count):")
    if 4096 in budgets:
        k = budgets.index(4096)
        for name in repos:
            rs = [r for r in results if r["name"] == name]
            print(f"- {name}: {len(rs)} tasks, map {pct(sum(r['budgets'][k]['rank'] > 0 for r in rs), len(rs))}"
                  f" / BM25 {pct(sum(r['budgets'][k]['bm25_rank'] > 0 for r in rs), len(rs))}, median rank "
                  f"{median([r['budgets'][k]['rank'] for r in rs if r['budgets'][k]['rank'] > 0])}")


if __name__ == "__main__":
    main()
